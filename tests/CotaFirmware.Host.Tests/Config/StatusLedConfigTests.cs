using System.Text;
using CotaFirmware.Config.Modules;
using CotaFirmware.HostTests.Cota;
using CotaFirmware.Tests.Network;

namespace CotaFirmware.HostTests.Config;

/// <summary>A config's <c>statusLed</c> section is what the board's LED shows once online, from the push on and after a reboot.</summary>
[TestClass]
public sealed class StatusLedConfigTests
{
    // Level changes of the LED over the next ms of the loop.
    private static int ChangesOver(WifiBoard board, long ms)
    {
        int sets = board.Led.Sets;
        board.Run(ms);
        return board.Led.Sets - sets;
    }

    [TestMethod]
    public void TheLedShowsTheIdlePatternTheConfigNames()
    {
        var cloud = new SimulatedCloud(1);
        var board = new WifiBoard(cloud, new SimulatedRadio { AccessPointSsid = "plant", AccessPointPassword = "good-pass" });
        board.Run(5_000);
        Assert.IsTrue(board.Led.On, "online without a config: steady on");

        cloud.Push(cloud.Publish(Encoding.UTF8.GetBytes("{\"statusLed\":{\"pattern\":\"off\"}}")));
        board.Run(10_000);
        Assert.AreEqual(StatusLedPattern.Off, board.Device.State.LedPattern);
        Assert.IsFalse(board.Led.On);
        Assert.AreEqual(0, ChangesOver(board, 3_000), "off stays dark");

        cloud.Push(cloud.Publish(Encoding.UTF8.GetBytes("{\"statusLed\":{\"pattern\":\"blink\"}}")));
        board.Run(10_000);
        Assert.AreEqual(StatusLedPattern.Blink, board.Device.State.LedPattern);
        Assert.AreEqual(6, ChangesOver(board, 3_000), "500 ms on, 500 ms off");
        Assert.AreEqual(0, board.Led.RedundantSets, "the LED is set only when its level changes");

        board.Device.Close();
        board.PowerOn();
        board.Run(5_000);
        Assert.AreEqual(6, ChangesOver(board, 3_000), "the stored config's pattern after a reboot");
    }
}
