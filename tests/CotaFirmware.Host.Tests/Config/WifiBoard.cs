using CotaFirmware.App;
using CotaFirmware.Host.Board;
using CotaFirmware.HostTests.Cota;
using CotaFirmware.Tests.Network;

namespace CotaFirmware.HostTests.Config;

/// <summary>The whole firmware (App's CotaDevice) on a simulated board whose Wi-Fi (a <see cref="SimulatedRadio"/> for the network "plant") is its only way to the cloud, with a recording status LED.</summary>
public sealed class WifiBoard
{
    public readonly MemoryStorage Flash = new();
    public readonly InProcessReboot Reboot = new();
    public readonly ManualClock Clock = new();
    public readonly SimulatedCloud Cloud;
    public readonly SimulatedRadio Radio;
    public readonly RecordingLed Led = new();
    public CotaDevice Device = null!;
    public int Boots;

    public WifiBoard(SimulatedCloud cloud, SimulatedRadio radio)
    {
        Cloud = cloud;
        Radio = radio;
        cloud.DeviceReachable = () => radio.HasIpAddress;
        PowerOn();
    }

    public void PowerOn()
    {
        Reboot.Acknowledge();
        Boots++;
        var board = Cloud.Board(Flash, Reboot, Clock, new RecordingLog(), 5);
        board.Radio = Radio;
        board.StatusLed = Led;
        var settings = SimulatedCloud.Settings();
        settings.DefaultWifiSsid = "plant";
        settings.DefaultWifiPassword = "good-pass";
        settings.Cota.TrialDeadlineMs = 60_000;
        settings.Linkkit.BackoffMinMs = 500;
        settings.Linkkit.BackoffMaxMs = 2000;
        Device = new CotaDevice(board, settings);
        Device.Start();
    }

    /// <summary>Runs the loop in 100 ms steps for <paramref name="ms"/>, rebooting (a new firmware over the same flash) whenever asked.</summary>
    public void Run(long ms)
    {
        for (long until = Clock.MonotonicMs + ms; Clock.MonotonicMs < until;)
        {
            Device.Step();
            Clock.Advance(100);
            if (Reboot.IsRequested)
            {
                Device.Close();
                PowerOn();
            }
        }
    }

    public string ActiveId()
    {
        var id = new byte[64];
        int n = Device.State.CopyActiveConfigId(id, 0);
        return n < 0 ? "" : System.Text.Encoding.ASCII.GetString(id, 0, n);
    }
}
