using System.Globalization;
using System.Text;

namespace CotaFirmware.DeviceBenchmarks;

/// <summary>
/// The device benchmarks' table (Markdown): per benchmark the core's best round per operation (median in brackets),
/// its unit figure, its cost against the interpreter's floor (a loop that touches each byte once, in the same run),
/// the peer's best, how many times slower the peer is, the allocations per operation of both, and the target (ratios
/// only: absolute times move twofold with the machine's load) with whether it is met.
/// </summary>
public static class BenchTable
{
    /// <summary>Above this, the per-token cost counts as growing with size (run-to-run noise stays below it).</summary>
    private const double FlatPerToken = 1.10;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(BenchResults r, string conditions)
    {
        var rows = new List<string[]>();
        string currentCore = "", currentPeer = "";
        void Row(string what, string input, string core, string unit, string peer, string ratio, string target, string met) =>
            rows.Add(new[] { what, input, core, unit, peer, ratio, currentCore + (currentPeer.Length > 0 ? "; peer " + currentPeer : ""), target, met });
        BenchResult? Get(string key) => r.Results.GetValueOrDefault(key);
        BenchResult? Track(string key, string? peerKey = null)
        {
            currentCore = Allocated(Get(key));
            currentPeer = peerKey == null ? "" : Allocated(Get(peerKey));
            return Get(key);
        }

        var floor = Track("floor-64k");
        double floorPerByte = floor is { Problem: null } ? floor.BestMicros / 65536 : double.NaN;
        string Floor(BenchResult? b, double bytes) => b is { Problem: null } && !double.IsNaN(floorPerByte) ? F(b.BestMicros / (floorPerByte * bytes), "0.0") + "× floor" : "";
        Row("Interpreter floor: a loop that reads each byte once", "64 KiB", Core(floor), "", "", "", "", "");

        var sha = Track("sha256-64k");
        Row("SHA-256", "64 KiB", Core(sha), sha is { Problem: null } ? F(65536.0 / 1048576 / (sha.BestMicros / 1e6), "0.00") + " MiB/s; " + Floor(sha, 65536) : "",
            "", "", "", "");
        var hmac = Track("hmac-sign");
        Row("HMAC-SHA256", "LinkKit sign string", Core(hmac), "", "", "", "", "");

        foreach (string size in new[] { "1k", "16k", "64k" })
        {
            var peer = Get("peer-json-" + size);
            string input = size.ToUpperInvariant().Replace("K", " KiB") + " config (" + Bytes(r, "config-" + size) + ", " + Tokens(Get("json-" + size)) + ")";
            foreach (var (key, how) in new[] { ("json-" + size, "JsonReader, in memory"), ("json-window-" + size, "JsonReader, 512 B window") })
            {
                var core = Track(key, "peer-json-" + size);
                Row(how, input, Core(core), PerToken(core) + "; " + Floor(core, r.Notes.GetValueOrDefault("config-" + size)), Peer(peer), Ratio(peer, core), "≥ 3× faster", MetRatio(peer, core, 3));
            }
        }

        foreach (var (key, how) in new[] { ("json-", "JsonReader cost per token, 64 KiB ÷ 1 KiB, in memory"), ("json-window-", "JsonReader cost per token, 64 KiB ÷ 1 KiB, 512 B window") })
        {
            var small = Get(key + "1k");
            var large = Get(key + "64k");
            bool both = small is { Problem: null } && large is { Problem: null };
            double growth = both ? (large!.BestMicros / large.Figure) / (small!.BestMicros / small.Figure) : double.NaN;
            Row(how, "", both ? F(growth, "0.00") + "×" : "", "", "", "", "no growth (≤ " + F(FlatPerToken, "0.00") + "×)", both ? (growth <= FlatPerToken ? "yes" : "**no**") : "?");
        }

        var escaped = Track("json-escaped-16k", "peer-json-escaped-16k");
        var escapedPeer = Get("peer-json-escaped-16k");
        Row("JsonReader, in memory", "16 KiB config with \\uXXXX (" + Bytes(r, "config-escaped-16k") + ", " + Tokens(escaped) + ")", Core(escaped), PerToken(escaped),
            Peer(escapedPeer), Ratio(escapedPeer, escaped), "≥ 3× faster", MetRatio(escapedPeer, escaped, 3));

        foreach (var (key, input) in new[] { ("push", "4 KB push"), ("push-escaped", "4 KB push with \\uXXXX") })
        {
            var core = Track(key, "peer-" + key);
            var peer = Get("peer-" + key);
            Row("ConfigMessage.Parse", input + " (" + Bytes(r, key) + ")", Core(core), Floor(core, r.Notes.GetValueOrDefault(key)), Peer(peer), Ratio(peer, core), "≥ 3× faster",
                MetRatio(peer, core, 3));
        }

        var verify = Track("boot-verify-64k");
        Row("Boot: verify only (SHA-256 read-back)", "64 KiB config, 512 B reads", Core(verify),
            verify is { Problem: null } ? F(65536.0 / 1048576 / (verify.BestMicros / 1e6), "0.00") + " MiB/s; " + Floor(verify, 65536) : "", "", "", "", "");
        var boot = Track("boot-verify-read-64k");
        Row("Boot: verify (SHA-256 read-back) + read every token", "64 KiB config, 512 B windows", Core(boot), Floor(boot, 65536), "", "", "", "");

        foreach (string qos in new[] { "0", "1" })
        {
            var core = Track("mqtt-qos" + qos, "peer-mqtt-qos" + qos);
            var peer = Get("peer-mqtt-qos" + qos);
            bool none = core is { Problem: null } && core.AllocatedBytes == 0;
            string ratioMet = MetRatio(peer, core, 1);
            Row("MQTT receive (core client)", "1,000 QoS " + qos + " publishes of " + Bytes(r, "mqtt-frame"), Core(core),
                PerPublish(core) + "; " + Floor(core, 1000.0 * r.Notes.GetValueOrDefault("mqtt-frame")),
                Peer(peer) + (peer is { Problem: null } ? " (" + PerPublish(peer) + ")" : ""), Ratio(peer, core), "no slower than M2Mqtt's decoder; 0 B allocated",
                core is { Problem: null } ? (ratioMet.StartsWith("yes", StringComparison.Ordinal) && none ? ratioMet : "**no**") : "?");
        }

        var cota = Track("cota-cycle-64k");
        Row("COTA cycle", "push → 64 KiB download → verify → store → apply → result", Core(cota), "", "", "", "", "");

        var u1 = Track("utf8-1000");
        var u4 = Get("utf8-4000");
        Row("UTF-8 encode (Text/Utf8)", "1,000 chars (mixed 1–4 byte)", Core(u1), "", "", "", "", "");
        Track("utf8-4000");
        bool utf = u1 is { Problem: null } && u4 is { Problem: null };
        double scale = utf ? u4!.BestMicros / u1!.BestMicros : double.NaN;
        Row("UTF-8 encode (Text/Utf8)", "4,000 chars", Core(u4), utf ? F(scale, "0.00") + "× the 1,000" : "", "", "", "≤ 5× the 1,000", utf ? (scale <= 5 ? "yes" : "**no**") : "?");

        var text = new StringBuilder();
        text.AppendLine(conditions);
        text.AppendLine("Clock: DateTime.UtcNow (mscorlib 1.17.11 has no Stopwatch or Environment.TickCount); smallest step seen "
            + F(r.ClockStep / 10.0, "0.#") + " µs. Each benchmark: one checked warm-up run, then 9 rounds of as many operations as fill ~150 ms; "
            + "the table gives the best round per operation and [the median]. Peer ÷ core: how many times longer the peer took.");
        text.AppendLine("Allocations per operation: nanoCLR's counters (NANOCLR_ALLOC_STATS) around one more, untimed round, after the timed ones "
            + "(steady state); bytes are the heap's 24-byte blocks here (about half on an ESP32 for objects). \"× floor\": the core's time over the floor "
            + "loop's for as many bytes, in the same run.");
        text.AppendLine();
        string[] header = { "benchmark", "input", "core: best [median]", "unit", "peer: best", "peer ÷ core", "allocations/op (bytes)", "target", "met" };
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        text.AppendLine();
        text.AppendLine("Peers: nanoFramework.Json 2.2.203 (`JsonConvert.DeserializeObject` of the same text, already a string: into a Hashtable for "
            + "configs, into a typed class for the push), M2Mqtt 5.1.215 (`MqttMsgPublish.Parse` over the same bytes: the decoder alone, no client, no acks).");
        return text.ToString();
    }

    private static string Allocated(BenchResult? b) =>
        b is not { Problem: null } || double.IsNaN(b.Allocations) ? "" : F(b.Allocations, "0.##") + " (" + F(b.AllocatedBytes, "0") + " B)";

    private static string Core(BenchResult? b) => b == null ? "missing" : b.Problem ?? Time(b.BestMicros) + " [" + Time(b.MedianMicros) + "]";

    private static string Peer(BenchResult? b) => b == null ? "" : b.Problem ?? Time(b.BestMicros);

    private static string Ratio(BenchResult? peer, BenchResult? core) =>
        peer is { Problem: null } && core is { Problem: null } ? F(peer.BestMicros / core.BestMicros, "0.0") + "×" : "—";

    private static string MetRatio(BenchResult? peer, BenchResult? core, double least) =>
        core is not { Problem: null } || peer == null ? "?"
        : peer.Problem != null ? "yes (peer " + peer.Problem.Split(' ')[0] + ")"
        : peer.BestMicros / core.BestMicros >= least ? "yes" : "**no**";

    private static string PerToken(BenchResult? b) => b is { Problem: null } ? F(b.BestMicros * 1000 / b.Figure, "0") + " ns/token" : "";

    private static string PerPublish(BenchResult? b) => b is { Problem: null } ? F(b.BestMicros / b.Figure, "0.0") + " µs/publish" : "";

    private static string Tokens(BenchResult? b) => b is { Problem: null } ? b.Figure.ToString("N0", Invariant) + " tokens" : "? tokens";

    private static string Bytes(BenchResults r, string key) => r.Notes.TryGetValue(key, out int n) ? n.ToString("N0", Invariant) + " B" : "? B";

    private static string Time(double micros) =>
        micros >= 1000 ? F(micros / 1000, micros >= 100000 ? "0" : "0.00") + " ms" : F(micros, micros >= 100 ? "0" : "0.0") + " µs";

    private static string F(double value, string format) => value.ToString(format, Invariant);
}
