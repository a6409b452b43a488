using CotaFirmware.Network;
using CotaFirmware.Tests.Network;
using CsCheck;

namespace CotaFirmware.HostTests.Network;

/// <summary>Wi-Fi bring-up against a radio that does random things at random times.</summary>
[TestClass]
public sealed class WifiConnectionPropertyTests
{
    private sealed class Counter : INetworkListener
    {
        public int Ready;
        public int Lost;

        public void OnNetworkReady() => Ready++;

        public void OnNetworkLost(NetworkFailure reason) => Lost++;
    }

    private static readonly RadioStatus[] Outcomes =
    {
        RadioStatus.Ok, RadioStatus.Joining, RadioStatus.WrongPassword, RadioStatus.NetworkNotFound,
        RadioStatus.Rejected, RadioStatus.Timeout, RadioStatus.UnsupportedSecurity, RadioStatus.Failed,
    };

    [TestMethod]
    public void NotificationsAlternateBackoffStaysInBoundsAndOnlineLinksAreLeftAlone()
    {
        // Each step: what the radio does next (0..9) and how far time moves (0..6 s), drawn from a generated seed.
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var draw = new Random(seed);
            var script = new (int Action, int Advance)[draw.Next(1, 300)];
            for (int i = 0; i < script.Length; i++)
            {
                script[i] = (draw.Next(0, 10), draw.Next(0, 6001));
            }

            // DHCP and SNTP answer only when the script says so.
            var radio = new SimulatedRadio { DhcpAnswers = false, SntpAnswers = false };
            var listener = new Counter();
            var settings = new WifiSettings("net", "pw") { BackoffMinMs = 500, BackoffMaxMs = 8000, JoinTimeoutMs = 3000, AddressTimeoutMs = 3000, ClockTimeoutMs = 3000 };
            var c = new WifiConnection(radio, settings, listener, null, null, script.Length);
            c.Start();
            long now = 0;
            int connectsWhileOnline = 0;
            foreach (var (action, advance) in script)
            {
                switch (action)
                {
                    case 0: radio.JoinOutcome = Outcomes[advance % Outcomes.Length]; break;
                    case 1: radio.DropLink(); break;
                    case 2: if (radio.Link == RadioStatus.Ok) radio.GiveAddress(); break;
                    case 3: radio.DropAddress(); break;
                    case 4: radio.GiveClock(); break;
                    case 5: if (radio.Link == RadioStatus.Joining) radio.FinishJoin(Outcomes[advance % Outcomes.Length]); break;
                    default: break;
                }

                now += advance;
                bool wasOnline = c.IsOnline;
                int connects = radio.Connects;
                c.Step(now);
                if (wasOnline && radio.Connects != connects)
                {
                    connectsWhileOnline++;
                }

                int balance = listener.Ready - listener.Lost;
                Assert.IsTrue(balance == 0 || balance == 1, "ready " + listener.Ready + ", lost " + listener.Lost);
                Assert.AreEqual(c.IsOnline, balance == 1);
                if (c.State == NetworkState.BackingOff)
                {
                    Assert.IsTrue(c.LastBackoffMs >= settings.BackoffMinMs / 2 && c.LastBackoffMs <= settings.BackoffMaxMs, "backoff " + c.LastBackoffMs);
                    Assert.IsTrue(c.RetryAtMs > now - 1 - settings.BackoffMaxMs && c.RetryAtMs <= now + settings.BackoffMaxMs);
                }
            }

            Assert.AreEqual(0, connectsWhileOnline, "an online link was joined again");
        });
    }

    [TestMethod]
    public void SteppingAnOnlineConnectionWithItsLedAllocatesNothing()
    {
        var radio = new SimulatedRadio();
        var led = new StatusLed(new RecordingLed());
        var c = new WifiConnection(radio, new WifiSettings("net", "pw"), new Counter(), led, null, 1);
        c.Start();
        c.Step(0);
        c.Step(1);
        Assert.IsTrue(c.IsOnline);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long t = 2; t < 100_000; t += 7)
        {
            c.Step(t);
        }

        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
