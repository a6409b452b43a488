using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using CotaFirmware.App;
using CotaFirmware.Config;
using CotaFirmware.Host.Board;
using CotaFirmware.HostTests.Config;

namespace CotaFirmware.HostTests.Cota;

/// <summary>
/// The offer lifecycle under chaos: the whole firmware (App's CotaDevice) against a simulated cloud, with random pushes
/// and get_replies of new, same and older configs (valid, rejected, needing a reboot, too large, refused, in messages larger
/// than the receive buffer), lost and
/// duplicated messages both ways, dropped connections and outages, power cuts at any write (torn or clean), plain
/// reboots, and a flash that is full for a while (the config slots or the result log). Invariants, for every seed:
/// the active config is always exactly a config the cloud published (complete and verified, old or new);
/// once everything is back, every offer the device accepted has exactly one result at the cloud (resends carry the same
/// seq and the same content); and the active config is never downloaded (an earlier one may be, when offered again).
/// A failure names its seed and last events; COTA_FIRST and COTA_RUNS replay a seed or run more of them (a single run
/// that fails prints every log line of the device, stamped with its clock and the cloud's).
/// </summary>
[TestClass]
public sealed class OfferLifecyclePropertyTests
{
    private static readonly int Runs = int.Parse(Environment.GetEnvironmentVariable("COTA_RUNS") ?? "2000");
    private const int MaxConfigSize = 2048;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void EveryAcceptedOfferEndsInExactlyOneResultAndTheActiveConfigIsAlwaysWhole()
    {
        var failures = new ConcurrentBag<string>();
        var totals = new int[9];
        int first = int.Parse(Environment.GetEnvironmentVariable("COTA_FIRST") ?? "1");
        Parallel.For(first, first + Runs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
        {
            var run = new Run(seed);
            try
            {
                run.Play();
                run.Check();
                lock (totals)
                {
                    for (int i = 0; i < totals.Length; i++)
                    {
                        totals[i] += run.Counts[i];
                    }
                }
            }
            catch (Exception e)
            {
                if (Runs == 1)
                {
                    TestContext.WriteLine(string.Join("\n", run.Trace));
                }

                failures.Add("seed " + seed + ": " + e.Message + "\n  events: " + string.Join(", ", run.Events.TakeLast(40)));
            }
        });

        TestContext.WriteLine($"{Runs} runs: {totals[0]} accepted offers, {totals[1]} results at the cloud ({totals[2]} applied, "
            + $"{totals[3]} rolled back, {totals[4]} superseded, {totals[5]} failed or rejected), {totals[6]} power cuts, {totals[7]} reboots, "
            + $"{totals[8]} oversize messages answered");
        Assert.AreEqual(0, failures.Count, string.Join("\n", failures.Take(3)));

        // The scenarios must really mix every kind of ending and every kind of fault (a replay of a few seeds need not).
        Assert.IsTrue(Runs < 100 || totals[2] > 0 && totals[3] > 0 && totals[4] > 0 && totals[5] > 0 && totals[6] > 100 && totals[7] > 100 && totals[8] > 0,
            string.Join(", ", totals));
    }

    /// <summary>Keeps the COTA lines of a powered device.</summary>
    private sealed class Lines(Func<bool> powered) : ILog
    {
        public List<string> All { get; } = new();

        public List<string> Trace { get; } = new();

        public Func<string>? Stamp { get; set; }

        public void Write(LogLevel level, string area, string message)
        {
            if (Stamp != null && powered())
            {
                Trace.Add(Stamp() + " " + area + ": " + message);
            }

            if (area == "cota" && powered())
            {
                All.Add(message);
            }
        }
    }

    private sealed class Run
    {
        private static readonly Regex Accepted = new(@"^config (\S+) (?:accepted as offer|\(offer) (\d+)", RegexOptions.Compiled);
        private static readonly Regex TakenOver = new(@"^config (\S+) on trial without an offer record: taken over as offer (\d+)", RegexOptions.Compiled);

        private readonly Random _random;
        private readonly SimulatedCloud _cloud;
        private readonly MemoryStorage _flash = new();
        private readonly InProcessReboot _reboot = new();
        private readonly ManualClock _clock = new();
        private readonly Lines _log;
        private readonly List<string> _published = new();
        private readonly List<string> _downloadedWhileActive = new();
        private string? _active;
        private int _downloadsSeen;
        private FaultyStorage _storage = null!;
        private CotaDevice _device = null!;
        private int _fullFor;
        private int _offlineFor;

        public Run(int seed)
        {
            _random = new Random(seed);
            _cloud = new SimulatedCloud(seed)
            {
                LoseToDevice = _random.NextDouble() * 0.15,
                DuplicateToDevice = _random.NextDouble() * 0.15,
                LoseFromDevice = _random.NextDouble() * 0.1,
                AnswersGet = _random.Next(4) > 0,
                RepliesToEvents = _random.Next(4) > 0,
                ReceiveLimit = 1200,
            };
            _log = new Lines(() => !_storage.PowerOff);
            _cloud.DevicePowered = () => !_storage.PowerOff;
            if (Runs == 1)
            {
                _log.Stamp = () => "t=" + _clock.MonotonicMs + " c=" + _cloud.Clock;
            }
            PowerOn(0, -1);
        }

        public List<string> Events { get; } = new();

        public List<string> Trace => _log.Trace;

        /// <summary>accepted offers, results, applied, rolled back, superseded, failed or rejected, power cuts, reboots, oversize answers.</summary>
        public int[] Counts { get; } = new int[9];

        public void Play()
        {
            int events = _random.Next(10, 30);
            for (int e = 0; e < events; e++)
            {
                Event();
                if (_log.Stamp != null)
                {
                    _log.Trace.Add("event: " + Events[Events.Count - 1]);
                }
                Loop(_random.Next(1, 80));
            }

            // Everything comes back: no more faults, and time for every offer and result to end.
            _cloud.Online = true;
            _cloud.LoseToDevice = _cloud.DuplicateToDevice = _cloud.LoseFromDevice = 0;
            _flash.FullArea = null;
            _fullFor = _offlineFor = 0;
            Events.Add("settle");
            for (int i = 0; i < 4000 && !Settled(); i++)
            {
                Loop(1);
            }

            Assert.IsTrue(Settled(), "never settled: downloading " + _device.State.IsDownloading + ", trial " + _device.State.IsOnTrial
                + ", pending " + _device.State.PendingResults + ", connected " + _device.IsConnected);
        }

        public void Check()
        {
            var results = _cloud.Results;
            Counts[1] = results.Count;
            Counts[2] = results.Count(r => r.Status == "applied");
            Counts[3] = results.Count(r => r.Status == "rolled_back");
            Counts[4] = results.Count(r => r.Status == "superseded");
            Counts[5] = results.Count(r => r.Status is "failed" or "rejected");
            Counts[8] = results.Count(r => r.Reason == "MessageTooLarge") + _cloud.PushReplies.Count(p => p.Code == 400);

            // One result per offer: every copy of a seq is the same result.
            foreach (var group in results.GroupBy(r => r.Seq))
            {
                Assert.AreEqual(1, group.Select(r => r.Json).Distinct().Count(), "offer " + group.Key + " has different results: "
                    + string.Join(" | ", group.Select(r => r.Json).Distinct()));
            }

            // Every accepted offer has its result at the cloud.
            foreach (string line in _log.All)
            {
                var m = Accepted.Match(line);
                if (!m.Success)
                {
                    m = TakenOver.Match(line);
                }

                if (m.Success)
                {
                    Counts[0]++;
                    long seq = long.Parse(m.Groups[2].Value);
                    Assert.IsTrue(results.Any(r => r.Seq == seq && r.ConfigId == m.Groups[1].Value),
                        "offer " + seq + " (" + m.Groups[1].Value + ") has no result; results: " + string.Join(" | ", results.Select(r => r.Json)));
                }
            }

            foreach (var r in results)
            {
                Assert.IsTrue(r.Status is "applied" or "rejected" or "rolled_back" or "superseded" or "failed", r.Json);
                Assert.IsTrue(_published.Contains(r.ConfigId), "a result for a config never offered: " + r.Json);
            }

            // A config whose messages exceed the receive buffer is never fetched; its only result names the size.
            foreach (string id in _cloud.LongUrl)
            {
                Assert.IsFalse(_cloud.Downloads.ContainsKey(id), id + " arrived oversize but was downloaded");
                Assert.IsTrue(results.Where(r => r.ConfigId == id).All(r => r.Reason == "MessageTooLarge"), id + ": "
                    + string.Join(" | ", results.Where(r => r.ConfigId == id).Select(r => r.Json)));
            }

            // The active config is not downloaded again.
            Assert.AreEqual(0, _downloadedWhileActive.Count, "downloaded while active: " + string.Join(", ", _downloadedWhileActive));
        }

        private bool Settled() => _device.IsConnected && !_device.State.IsDownloading && !_device.State.IsOnTrial && _device.State.PendingResults == 0;

        private void Event()
        {
            int kind = _random.Next(100);
            if (kind < 35)
            {
                string id = _cloud.Publish(NewConfig());
                _published.Add(id);
                Events.Add("publish " + id);
                if (_random.Next(3) > 0)
                {
                    _cloud.Push(id);
                }
            }
            else if (kind < 45 && _published.Count > 0)
            {
                // A stale or repeated push of one of the last configs.
                string id = _published[_published.Count - 1 - _random.Next(Math.Min(3, _published.Count))];
                Events.Add("re-push " + id);
                _cloud.Push(id);
            }
            else if (kind < 55)
            {
                Events.Add("drop");
                _cloud.Drop();
            }
            else if (kind < 62)
            {
                _offlineFor = _random.Next(20, 400);
                _cloud.Online = false;
                Events.Add("offline " + _offlineFor);
            }
            else if (kind < 74)
            {
                int cut = _random.Next(1, 40);
                int torn = _random.Next(3) == 0 ? -1 : _random.Next(0, 200);
                Events.Add("cut at +" + cut + " torn " + torn);
                PowerOn(cut, torn);
            }
            else if (kind < 82)
            {
                Events.Add("reboot");
                Counts[7]++;
                PowerOn(0, -1);
            }
            else if (kind < 88)
            {
                // The config slots, or the result log: an offer then waits for its result to be kept.
                _fullFor = _random.Next(10, 200);
                _flash.FullArea = _random.Next(2) == 0 ? "cfg-" : "cota.r";
                Events.Add("flash full " + _fullFor + " (" + _flash.FullArea + ")");
            }
            else
            {
                int ms = _random.Next(1, 40_000);
                Events.Add("wait " + ms);
                for (int t = 0; t < ms; t += 500)
                {
                    Loop(1);
                }
            }
        }

        // A power cut is armed on the new boot's storage (cut > 0: the cut-th write of that boot is the last).
        private void PowerOn(int cut, int torn)
        {
            _device?.Close();
            _reboot.Acknowledge();
            _storage = new FaultyStorage(_flash, cut, torn);
            var board = _cloud.Board(_storage, _reboot, _clock, _log, _random.Next());
            var settings = SimulatedCloud.Settings();
            settings.MaxConfigSize = MaxConfigSize;
            settings.ConfigWindowSize = 256;
            settings.DefaultWifiSsid = "plant";
            settings.DefaultWifiPassword = "factory-pass";
            settings.Cota.StartJitterMs = _random.Next(0, 300);
            settings.Cota.TrialDeadlineMs = 20_000;
            settings.Cota.GetTimeoutMs = 2000;
            settings.Cota.BackoffMinMs = 500;
            settings.Cota.BackoffMaxMs = 4000;
            settings.Cota.ResultSlots = 6;
            settings.Download.BufferSize = 128;
            settings.Download.TimeoutMs = 2000;
            settings.Download.BackoffMinMs = 100;
            settings.Download.BackoffMaxMs = 1000;
            settings.Linkkit.RequestTimeoutMs = 2000;
            settings.Linkkit.BackoffMinMs = 200;
            settings.Linkkit.BackoffMaxMs = 2000;
            _device = new CotaDevice(board, settings);
            _device.Start();
            CheckActive();
        }

        private void Loop(int turns)
        {
            for (int i = 0; i < turns; i++)
            {
                _device.Step();
                _clock.Advance(_random.Next(20, 300));
                if (_offlineFor > 0 && --_offlineFor == 0)
                {
                    _cloud.Online = true;
                }

                if (_fullFor > 0 && --_fullFor == 0)
                {
                    _flash.FullArea = null;
                }

                if (_storage.PowerOff)
                {
                    Counts[6]++;
                    PowerOn(0, -1);
                }
                else if (_reboot.IsRequested)
                {
                    PowerOn(0, -1);
                }

                CheckActive();
            }
        }

        // The active config is always exactly a published one, and no download asked for it since the last look.
        private void CheckActive()
        {
            for (; _downloadsSeen < _cloud.DownloadLog.Count; _downloadsSeen++)
            {
                if (_cloud.DownloadLog[_downloadsSeen].ConfigId == _active)
                {
                    _downloadedWhileActive.Add(_active + " at " + _cloud.DownloadLog[_downloadsSeen].At);
                }
            }

            var state = _device.State;
            var id = new byte[64];
            int n = state.CopyActiveConfigId(id, 0);
            _active = n < 0 ? null : Encoding.ASCII.GetString(id, 0, n);
            if (n < 0)
            {
                return;
            }

            string configId = _active!;
            var reader = new ConfigReader();
            Assert.AreEqual(ConfigStatus.Ok, state.OpenActiveConfig(reader));
            var content = new byte[reader.Length];
            for (int done = 0; done < content.Length;)
            {
                int got = reader.Read(content, done, content.Length - done);
                Assert.IsTrue(got > 0, "active config " + configId + " unreadable");
                done += got;
            }

            CollectionAssert.AreEqual(_cloud.FileOf(configId), content, "active config " + configId + " is not what was published");
        }

        // Mostly live configs; some rejected, some needing a reboot, some too large, some signed with Md5, some offered in oversize messages.
        private byte[] NewConfig()
        {
            int kind = _random.Next(21);
            int n = _random.Next(1, 86400);
            string json = kind switch
            {
                < 10 => "{\"telemetry\":{\"intervalSeconds\":" + n + "}}",
                < 12 => "{\"telemetry\":{\"intervalSeconds\":" + n + "},\"statusLed\":{\"pattern\":\"blink\"}}",
                < 14 => "{\"wifi\":{\"ssid\":\"plant\",\"password\":\"pass-" + n + "-xxxx\"}}",
                < 16 => "{\"telemetry\":{\"intervalSeconds\":0}}",
                < 17 => "{\"telemetry\":",
                < 18 => "{\"telemetry\":{\"intervalSeconds\":" + n + "},\"x\":\"" + new string('y', MaxConfigSize) + "\"}",
                _ => "{\"telemetry\":{\"intervalSeconds\":" + n + "}}",
            };
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            if (kind == 19)
            {
                _cloud.Md5Signed.Add("cfg" + (_published.Count + 1).ToString("D3"));
            }
            else if (kind == 20)
            {
                _cloud.LongUrl.Add("cfg" + (_published.Count + 1).ToString("D3"));
            }

            return bytes;
        }
    }
}
