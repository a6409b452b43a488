using CotaFirmware.Network;

namespace CotaFirmware.Tests.Network;

[TestClass]
public class StatusLedTests
{
    [TestMethod]
    public void EachStateHasItsPattern()
    {
        Assert.IsTrue(StatusLed.For(NetworkState.Idle) == LedPattern.Off);
        Assert.IsTrue(StatusLed.For(NetworkState.Joining) == LedPattern.Connecting);
        Assert.IsTrue(StatusLed.For(NetworkState.WaitingForAddress) == LedPattern.Connecting);
        Assert.IsTrue(StatusLed.For(NetworkState.WaitingForClock) == LedPattern.Connecting);
        Assert.IsTrue(StatusLed.For(NetworkState.Online) == LedPattern.Online);
        Assert.IsTrue(StatusLed.For(NetworkState.BackingOff) == LedPattern.Error);
    }

    [TestMethod]
    public void ConnectingBlinksEvenlyAndOnlineStaysOn()
    {
        RecordingLed hw = new RecordingLed();
        StatusLed led = new StatusLed(hw);
        Assert.IsFalse(hw.On);
        led.Show(LedPattern.Connecting, 1000);
        int changes = 0;
        bool last = hw.On;
        for (long t = 1000; t < 3000; t += 10)
        {
            led.Step(t);
            if (hw.On != last)
            {
                changes++;
                last = hw.On;
            }
        }

        Assert.AreEqual(9, changes, "400 ms period over 2 s");
        led.Show(LedPattern.Online, 3000);
        Assert.IsTrue(hw.On);
        int sets = hw.Sets;
        for (long t = 3000; t < 10000; t += 10)
        {
            led.Step(t);
        }

        Assert.IsTrue(hw.On);
        Assert.AreEqual(sets, hw.Sets, "a steady pattern never touches the LED");
        Assert.AreEqual(0, hw.RedundantSets);
    }

    [TestMethod]
    public void ErrorFlashesTwicePerSecond()
    {
        RecordingLed hw = new RecordingLed();
        StatusLed led = new StatusLed(hw);
        led.Show(LedPattern.Error, 0);
        int onTime = 0;
        int rises = 0;
        bool last = hw.On;
        for (long t = 0; t < 10000; t += 10)
        {
            led.Step(t);
            if (hw.On)
            {
                onTime += 10;
            }

            if (hw.On && !last)
            {
                rises++;
            }

            last = hw.On;
        }

        Assert.AreEqual(2000, onTime, "two 100 ms flashes per second");
        Assert.AreEqual(19, rises, "the first flash starts lit");
        Assert.AreEqual(0, hw.RedundantSets);
    }

    [TestMethod]
    public void ALateStepLandsInTheRightPhase()
    {
        RecordingLed hw = new RecordingLed();
        StatusLed led = new StatusLed(hw);
        led.Show(LedPattern.Connecting, 0);
        led.Step(1000000 + 250);
        Assert.IsFalse(hw.On, "250 ms into a 200 on / 200 off cycle is dark");
        led.Step(1000000 + 400);
        Assert.IsTrue(hw.On);
    }

    [TestMethod]
    public void TheConnectionDrivesTheLed()
    {
        SimulatedRadio radio = new SimulatedRadio();
        radio.JoinOutcome = RadioStatus.WrongPassword;
        RecordingLed hw = new RecordingLed();
        StatusLed led = new StatusLed(hw);
        WifiConnection c = new WifiConnection(radio, new WifiSettings("n", "p"), null, led, null, 1);
        c.Step(0);
        Assert.IsTrue(led.Pattern == LedPattern.Off);
        c.Start();
        c.Step(10);
        Assert.IsTrue(led.Pattern == LedPattern.Error);
        radio.JoinOutcome = RadioStatus.Ok;
        c.Step(c.RetryAtMs);
        Assert.IsTrue(led.Pattern == LedPattern.Connecting, "joining");
        c.Step(c.RetryAtMs + 100);
        Assert.IsTrue(led.Pattern == LedPattern.Online);
        Assert.IsTrue(hw.On);
        Assert.AreEqual(0, hw.RedundantSets);
    }

    [TestMethod]
    public void OnlineShowsTheLookAConfigChoseAndOnlyWhileOnline()
    {
        RecordingLed hw = new RecordingLed();
        StatusLed led = new StatusLed(hw);
        led.Show(LedPattern.Connecting, 0);
        led.ShowOnlineAs(LedPattern.Off, 10);
        Assert.IsTrue(hw.On, "connecting still blinks: a look is for online");

        led.Show(LedPattern.Online, 100);
        Assert.IsFalse(hw.On, "online with the look Off is dark");

        led.ShowOnlineAs(LedPattern.Heartbeat, 1000);
        int onTime = 0;
        for (long t = 1000; t < 6000; t += 10)
        {
            led.Step(t);
            onTime += hw.On ? 10 : 0;
        }

        Assert.AreEqual(500, onTime, "one 100 ms flash a second");
        led.ShowOnlineAs(LedPattern.Online, 6000);
        Assert.IsTrue(hw.On, "back to steady on");
        led.Show(LedPattern.Error, 6100);
        led.Show(LedPattern.Online, 7000);
        Assert.IsTrue(hw.On, "the look outlives a lost connection");
        Assert.AreEqual(0, hw.RedundantSets);
    }
}
