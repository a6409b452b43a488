using CotaFirmware.Network;

namespace CotaFirmware.Tests.Network;

[TestClass]
public class WifiConnectionTests
{
    private const int JoinTimeout = 10000;
    private const int AddressTimeout = 8000;
    private const int ClockTimeout = 6000;
    private const int MinBackoff = 1000;
    private const int MaxBackoff = 16000;

    private static WifiSettings Settings()
    {
        WifiSettings s = new WifiSettings("plant-floor", "s3cret-pass");
        s.JoinTimeoutMs = JoinTimeout;
        s.AddressTimeoutMs = AddressTimeout;
        s.ClockTimeoutMs = ClockTimeout;
        s.BackoffMinMs = MinBackoff;
        s.BackoffMaxMs = MaxBackoff;
        return s;
    }

    private static WifiConnection Make(SimulatedRadio radio, RecordingListener listener, int seed)
    {
        return new WifiConnection(radio, Settings(), listener, null, null, seed);
    }

    /// <summary>Starts bring-up at <paramref name="nowMs"/> with a join the radio answers at once: the step that joins, and the
    /// next one, which finds the link up.</summary>
    private static void Joined(WifiConnection c, long nowMs)
    {
        c.Start();
        c.Step(nowMs);
        c.Step(nowMs);
    }

    /// <summary>Steps every 100 ms from <paramref name="fromMs"/> up to and including <paramref name="toMs"/>; returns <paramref name="toMs"/>.</summary>
    private static long Run(WifiConnection c, long fromMs, long toMs)
    {
        for (long t = fromMs; t <= toMs; t += 100)
        {
            c.Step(t);
        }

        c.Step(toMs);
        return toMs;
    }

    [TestMethod]
    public void JoinsGetsAnAddressAndAClockThenReportsReadyOnce()
    {
        SimulatedRadio radio = new SimulatedRadio();
        RecordingListener listener = new RecordingListener();
        WifiConnection c = Make(radio, listener, 1);
        Assert.IsTrue(c.State == NetworkState.Idle);
        c.Step(0);
        Assert.AreEqual(0, radio.Connects, "nothing happens before Start");

        c.Start();
        c.Step(100);
        Assert.IsTrue(c.State == NetworkState.Joining, "the next step finds the link up");
        c.Step(200);
        Assert.IsTrue(c.State == NetworkState.Online);
        Assert.AreEqual(1, radio.Connects);
        Assert.AreEqual("plant-floor", radio.LastSsid);
        Assert.AreEqual("s3cret-pass", radio.LastPassword);
        Run(c, 300, 60000);
        Assert.AreEqual(1, listener.Ready);
        Assert.AreEqual(0, listener.Lost);
        Assert.AreEqual(1, radio.Connects, "an online link is left alone");
        Assert.IsTrue(c.LastFailure == NetworkFailure.None);
    }

    [TestMethod]
    public void AJoinReportedLaterThroughTheLinkIsFollowed()
    {
        SimulatedRadio radio = new SimulatedRadio();
        radio.ReportsThroughLink = true;
        radio.JoinOutcome = RadioStatus.Joining;
        RecordingListener listener = new RecordingListener();
        WifiConnection c = Make(radio, listener, 2);
        c.Start();
        Run(c, 0, 3000);
        Assert.IsTrue(c.State == NetworkState.Joining);
        radio.FinishJoin(RadioStatus.Ok);
        c.Step(3100);
        Assert.IsTrue(c.State == NetworkState.Online);
        Assert.AreEqual(1, listener.Ready);
    }

    [TestMethod]
    public void AWrongPasswordIsNamedAndRetriedAfterABackoff()
    {
        SimulatedRadio radio = new SimulatedRadio();
        radio.JoinOutcome = RadioStatus.WrongPassword;
        RecordingListener listener = new RecordingListener();
        WifiConnection c = Make(radio, listener, 3);
        c.Start();
        c.Step(0);
        Assert.IsTrue(c.State == NetworkState.BackingOff);
        Assert.IsTrue(c.LastFailure == NetworkFailure.WrongPassword);
        Assert.AreEqual("wrong password", NetworkNames.Of(c.LastFailure));
        Assert.AreEqual(1, radio.Disconnects, "a failed attempt is torn down");
        Assert.AreEqual(0, listener.Ready);
        Assert.AreEqual(0, listener.Lost, "never online, so never lost");

        long retryAt = c.RetryAtMs;
        c.Step(retryAt - 1);
        Assert.AreEqual(1, radio.Connects, "no retry before the backoff ends");
        c.Step(retryAt);
        Assert.AreEqual(2, radio.Connects);
    }

    [TestMethod]
    public void RadioFailuresMapToNamedFailures()
    {
        RadioStatus[] codes = { RadioStatus.NetworkNotFound, RadioStatus.Rejected, RadioStatus.Timeout, RadioStatus.UnsupportedSecurity, RadioStatus.Failed, (RadioStatus)(-99) };
        NetworkFailure[] expected = { NetworkFailure.NetworkNotFound, NetworkFailure.Rejected, NetworkFailure.JoinTimeout, NetworkFailure.UnsupportedSecurity, NetworkFailure.RadioFailed, NetworkFailure.RadioFailed };
        for (int i = 0; i < codes.Length; i++)
        {
            SimulatedRadio radio = new SimulatedRadio();
            radio.ReportsThroughLink = true;
            radio.JoinOutcome = codes[i];
            WifiConnection c = Make(radio, new RecordingListener(), i);
            c.Start();
            c.Step(0);
            c.Step(100);
            Assert.IsTrue(c.LastFailure == expected[i], "code " + ((int)codes[i]).ToString());
            Assert.IsTrue(c.State == NetworkState.BackingOff);
        }
    }

    [TestMethod]
    public void AJoinThatNeverFinishesTimesOut()
    {
        SimulatedRadio radio = new SimulatedRadio();
        radio.ReportsThroughLink = true;
        radio.JoinOutcome = RadioStatus.Joining;
        WifiConnection c = Make(radio, new RecordingListener(), 4);
        c.Start();
        Run(c, 0, JoinTimeout - 100);
        Assert.IsTrue(c.State == NetworkState.Joining);
        c.Step(JoinTimeout);
        Assert.IsTrue(c.State == NetworkState.BackingOff);
        Assert.IsTrue(c.LastFailure == NetworkFailure.JoinTimeout);
    }

    [TestMethod]
    public void NoDhcpAnswerFailsAfterTheAddressTimeout()
    {
        SimulatedRadio radio = new SimulatedRadio();
        radio.DhcpAnswers = false;
        RecordingListener listener = new RecordingListener();
        WifiConnection c = Make(radio, listener, 5);
        Joined(c, 0);
        Assert.IsTrue(c.State == NetworkState.WaitingForAddress);
        Run(c, 100, AddressTimeout - 100);
        Assert.IsTrue(c.State == NetworkState.WaitingForAddress);
        c.Step(AddressTimeout);
        Assert.IsTrue(c.State == NetworkState.BackingOff);
        Assert.IsTrue(c.LastFailure == NetworkFailure.NoAddress);
        Assert.AreEqual(0, listener.Ready);
    }

    [TestMethod]
    public void AJoinThatBlockedLeavesTheAddressItsWholeTime()
    {
        // The ESP32's join blocks until the link is up: the step after it comes 9 s after the one that joined.
        SimulatedRadio radio = new SimulatedRadio();
        radio.DhcpAnswers = false;
        WifiConnection c = Make(radio, new RecordingListener(), 15);
        c.Start();
        c.Step(0);
        const long joined = 9000;
        Run(c, joined, joined + AddressTimeout - 100);
        Assert.AreEqual(0, c.ConsecutiveFailures, "DHCP had " + (AddressTimeout - 100).ToString() + " ms of its " + AddressTimeout.ToString() + " after the join");
        Assert.IsTrue(c.State == NetworkState.WaitingForAddress);
        Assert.AreEqual(1, radio.Connects);
        c.Step(joined + AddressTimeout);
        Assert.IsTrue(c.LastFailure == NetworkFailure.NoAddress);
    }

    [TestMethod]
    public void ALateDhcpAnswerIsTaken()
    {
        SimulatedRadio radio = new SimulatedRadio();
        radio.DhcpAnswers = false;
        WifiConnection c = Make(radio, new RecordingListener(), 6);
        c.Start();
        Run(c, 0, 2000);
        radio.GiveAddress();
        c.Step(2100);
        Assert.IsTrue(c.State == NetworkState.Online);
    }

    [TestMethod]
    public void NoSntpAnswerFailsAfterTheClockTimeout()
    {
        SimulatedRadio radio = new SimulatedRadio();
        radio.SntpAnswers = false;
        RecordingListener listener = new RecordingListener();
        WifiConnection c = Make(radio, listener, 7);
        Joined(c, 0);
        Assert.IsTrue(c.State == NetworkState.WaitingForClock);
        Run(c, 100, ClockTimeout - 100);
        Assert.IsTrue(c.State == NetworkState.WaitingForClock);
        c.Step(ClockTimeout);
        Assert.IsTrue(c.LastFailure == NetworkFailure.NoClock);
        Assert.AreEqual("no SNTP time", NetworkNames.Of(c.LastFailure));
        Assert.AreEqual(0, listener.Ready);

        radio.SntpAnswers = true;
        Run(c, ClockTimeout + 100, ClockTimeout + MaxBackoff);
        Assert.IsTrue(c.State == NetworkState.Online, "the next attempt gets the clock");
        Assert.AreEqual(1, listener.Ready);
    }

    [TestMethod]
    public void WithoutRequireClockTheNetworkIsReadyOnAnAddress()
    {
        SimulatedRadio radio = new SimulatedRadio();
        radio.SntpAnswers = false;
        WifiSettings s = Settings();
        s.RequireClock = false;
        RecordingListener listener = new RecordingListener();
        WifiConnection c = new WifiConnection(radio, s, listener, null, null, 8);
        Joined(c, 0);
        Assert.IsTrue(c.IsOnline);
        Assert.AreEqual(1, listener.Ready);
    }

    [TestMethod]
    public void ALinkLostWhileWaitingForTheAddressCountsAsLost()
    {
        SimulatedRadio radio = new SimulatedRadio();
        radio.DhcpAnswers = false;
        RecordingListener listener = new RecordingListener();
        WifiConnection c = Make(radio, listener, 9);
        c.Start();
        c.Step(0);
        radio.DropLink();
        c.Step(100);
        Assert.IsTrue(c.LastFailure == NetworkFailure.LinkLost);
        Assert.AreEqual(0, listener.Lost, "it was never online");
    }

    [TestMethod]
    public void AFlappingLinkReportsEachLossAndEachRecoveryExactlyOnce()
    {
        SimulatedRadio radio = new SimulatedRadio();
        RecordingListener listener = new RecordingListener();
        WifiConnection c = Make(radio, listener, 10);
        long t = 0;
        Joined(c, t);
        for (int flap = 1; flap <= 5; flap++)
        {
            Assert.IsTrue(c.IsOnline);
            Assert.AreEqual(flap, listener.Ready);
            radio.DropLink();
            t += 100;
            c.Step(t);
            c.Step(t);
            Assert.IsTrue(c.State == NetworkState.BackingOff);
            Assert.AreEqual(flap, listener.Lost);
            Assert.IsTrue(listener.LastLostReason == NetworkFailure.LinkLost);
            Assert.IsTrue(c.LastBackoffMs <= MinBackoff, "a lost online link retries after the shortest wait");
            t = Run(c, t + 100, t + MinBackoff + 100);
        }

        Assert.IsTrue(c.IsOnline, "back online after the last flap");
        Assert.AreEqual(6, listener.Ready);
        Assert.AreEqual(5, listener.Lost);
    }

    [TestMethod]
    public void LosingTheAddressWhileOnlineCountsAsLost()
    {
        SimulatedRadio radio = new SimulatedRadio();
        RecordingListener listener = new RecordingListener();
        WifiConnection c = Make(radio, listener, 11);
        Joined(c, 0);
        radio.DropAddress();
        c.Step(100);
        Assert.AreEqual(1, listener.Lost);
        Assert.IsTrue(c.LastFailure == NetworkFailure.LinkLost);
    }

    [TestMethod]
    public void BackoffDoublesWithinItsBoundsAndNeverExceedsTheMaximum()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            SimulatedRadio radio = new SimulatedRadio();
            radio.JoinOutcome = RadioStatus.NetworkNotFound;
            WifiConnection c = Make(radio, new RecordingListener(), seed);
            c.Start();
            long t = 0;
            c.Step(t);
            long bound = MinBackoff;
            for (int failure = 1; failure <= 12; failure++)
            {
                Assert.AreEqual(failure, c.ConsecutiveFailures);
                int wait = c.LastBackoffMs;
                Assert.IsTrue(wait >= bound / 2 && wait <= bound, "failure " + failure.ToString() + ": " + wait.ToString() + " outside [" + (bound / 2).ToString() + ", " + bound.ToString() + "]");
                Assert.IsTrue(c.RetryAtMs == t + wait);
                t = c.RetryAtMs;
                c.Step(t);
                bound = bound * 2 > MaxBackoff ? MaxBackoff : bound * 2;
            }

            Assert.AreEqual(13, radio.Connects);
        }
    }

    [TestMethod]
    public void BackoffIsJitteredAcrossDevices()
    {
        // Twenty devices failing together must not all retry at the same moment.
        long first = -1;
        bool differs = false;
        for (int seed = 0; seed < 20; seed++)
        {
            SimulatedRadio radio = new SimulatedRadio();
            radio.JoinOutcome = RadioStatus.NetworkNotFound;
            WifiConnection c = Make(radio, new RecordingListener(), seed);
            c.Start();
            c.Step(0);
            c.Step(c.RetryAtMs);
            c.Step(c.RetryAtMs);
            c.Step(c.RetryAtMs);
            if (first < 0)
            {
                first = c.RetryAtMs;
            }
            else if (c.RetryAtMs != first)
            {
                differs = true;
            }
        }

        Assert.IsTrue(differs);
    }

    [TestMethod]
    public void RecoveryResetsTheBackoff()
    {
        SimulatedRadio radio = new SimulatedRadio();
        radio.JoinOutcome = RadioStatus.NetworkNotFound;
        RecordingListener listener = new RecordingListener();
        WifiConnection c = Make(radio, listener, 12);
        c.Start();
        c.Step(0);
        for (int i = 0; i < 6; i++)
        {
            c.Step(c.RetryAtMs);
        }

        Assert.AreEqual(7, c.ConsecutiveFailures);
        Assert.IsTrue(c.LastBackoffMs > MinBackoff);

        radio.JoinOutcome = RadioStatus.Ok;
        long t = c.RetryAtMs;
        c.Step(t);
        c.Step(t);
        Assert.IsTrue(c.IsOnline);
        Assert.AreEqual(0, c.ConsecutiveFailures);
        Assert.AreEqual(1, listener.Ready);
        Assert.IsTrue(c.LastFailure == NetworkFailure.NetworkNotFound, "the last failure stays for the logs");

        radio.DropLink();
        c.Step(t + 100);
        Assert.AreEqual(1, c.ConsecutiveFailures);
        Assert.IsTrue(c.LastBackoffMs <= MinBackoff);
    }

    [TestMethod]
    public void StopWhileOnlineReportsLostOnceAndGoesIdle()
    {
        SimulatedRadio radio = new SimulatedRadio();
        RecordingListener listener = new RecordingListener();
        WifiConnection c = Make(radio, listener, 13);
        Joined(c, 0);
        c.Stop(100);
        c.Stop(200);
        Assert.IsTrue(c.State == NetworkState.Idle);
        Assert.AreEqual(1, listener.Lost);
        Assert.AreEqual(1, radio.Disconnects);
        Run(c, 300, 5000);
        Assert.AreEqual(1, radio.Connects, "idle stays idle");
        c.Start();
        c.Step(5100);
        c.Step(5200);
        Assert.AreEqual(2, listener.Ready);
    }

    [TestMethod]
    public void BadSettingsAreRefused()
    {
        Expect.Throws(typeof(ArgumentNullException), () => new WifiConnection(null, Settings(), null, null, null, 0));
        Expect.Throws(typeof(ArgumentNullException), () => new WifiConnection(new SimulatedRadio(), null, null, null, null, 0));
        Expect.Throws(typeof(ArgumentException), () => new WifiConnection(new SimulatedRadio(), new WifiSettings("", "x"), null, null, null, 0));
        WifiSettings s = Settings();
        s.BackoffMaxMs = MinBackoff - 1;
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => new WifiConnection(new SimulatedRadio(), s, null, null, null, 0));
    }

    [TestMethod]
    public void TheLogNeverCarriesThePassword()
    {
        SimulatedRadio radio = new SimulatedRadio();
        radio.JoinOutcome = RadioStatus.WrongPassword;
        RecordingLog log = new RecordingLog();
        WifiConnection c = new WifiConnection(radio, Settings(), null, null, log, 14);
        c.Start();
        Run(c, 0, 20000);
        Assert.IsTrue(log.Count > 2);
        Assert.IsFalse(log.Contains("s3cret-pass"));
        Assert.IsTrue(log.Contains("wrong password"));
    }
}
