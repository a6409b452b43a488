using System.Globalization;
using System.Text;

namespace CotaFirmware.DeviceBenchmarks;

/// <summary>
/// The device benchmarks' table (Markdown): per benchmark the core's best round per operation (median in brackets),
/// its unit figure, the peer's best, how many times slower the peer is, and the target with whether it is met.
/// </summary>
public static class BenchTable
{
    /// <summary>Above this, the per-token cost counts as growing with size (run-to-run noise stays below it).</summary>
    private const double FlatPerToken = 1.10;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(BenchResults r, string conditions)
    {
        var rows = new List<string[]>();
        void Row(string what, string input, string core, string unit, string peer, string ratio, string target, string met) =>
            rows.Add(new[] { what, input, core, unit, peer, ratio, target, met });
        BenchResult? Get(string key) => r.Results.GetValueOrDefault(key);

        var sha = Get("sha256-64k");
        Row("SHA-256", "64 KiB", Core(sha), sha is { Problem: null } ? F(65536.0 / 1048576 / (sha.BestMicros / 1e6), "0.00") + " MiB/s" : "",
            "", "", "≥ 4 MiB/s", Met(sha, s => 65536.0 / 1048576 / (s.BestMicros / 1e6) >= 4));
        var hmac = Get("hmac-sign");
        Row("HMAC-SHA256", "LinkKit sign string", Core(hmac), "", "", "", "", "");

        foreach (string size in new[] { "1k", "16k", "64k" })
        {
            var peer = Get("peer-json-" + size);
            string input = size.ToUpperInvariant().Replace("K", " KiB") + " config (" + Bytes(r, "config-" + size) + ", " + Tokens(Get("json-" + size)) + ")";
            foreach (var (key, how) in new[] { ("json-" + size, "JsonReader, in memory"), ("json-window-" + size, "JsonReader, 512 B window") })
            {
                var core = Get(key);
                Row(how, input, Core(core), PerToken(core), Peer(peer), Ratio(peer, core), "≥ 3× faster", MetRatio(peer, core, 3));
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

        var escaped = Get("json-escaped-16k");
        var escapedPeer = Get("peer-json-escaped-16k");
        Row("JsonReader, in memory", "16 KiB config with \\uXXXX (" + Bytes(r, "config-escaped-16k") + ", " + Tokens(escaped) + ")", Core(escaped), PerToken(escaped),
            Peer(escapedPeer), Ratio(escapedPeer, escaped), "≥ 3× faster", MetRatio(escapedPeer, escaped, 3));

        foreach (var (key, input) in new[] { ("push", "4 KB push"), ("push-escaped", "4 KB push with \\uXXXX") })
        {
            var core = Get(key);
            var peer = Get("peer-" + key);
            bool fast = core is { Problem: null } && core.BestMicros <= 300;
            string ratioMet = MetRatio(peer, core, 3);
            Row("ConfigMessage.Parse", input + " (" + Bytes(r, key) + ")", Core(core), "", Peer(peer), Ratio(peer, core), "≤ 300 µs; ≥ 3× faster",
                core is { Problem: null } ? (fast && ratioMet.StartsWith("yes", StringComparison.Ordinal) ? ratioMet : "**no**") : "?");
        }

        var verify = Get("boot-verify-64k");
        Row("Boot: verify only (SHA-256 read-back)", "64 KiB config, 512 B reads", Core(verify),
            verify is { Problem: null } ? F(65536.0 / 1048576 / (verify.BestMicros / 1e6), "0.00") + " MiB/s" : "", "", "", "", "");
        var boot = Get("boot-verify-read-64k");
        Row("Boot: verify (SHA-256 read-back) + read every token", "64 KiB config, 512 B windows", Core(boot), "", "", "", "≤ 25 ms",
            Met(boot, b => b.BestMicros <= 25000));

        foreach (string qos in new[] { "0", "1" })
        {
            var core = Get("mqtt-qos" + qos);
            var peer = Get("peer-mqtt-qos" + qos);
            Row("MQTT receive (core client)", "1,000 QoS " + qos + " publishes of " + Bytes(r, "mqtt-frame"), Core(core), PerPublish(core),
                Peer(peer) + (peer is { Problem: null } ? " (" + PerPublish(peer) + ")" : ""), Ratio(peer, core), "no slower than M2Mqtt's decoder",
                MetRatio(peer, core, 1));
        }

        var cota = Get("cota-cycle-64k");
        Row("COTA cycle", "push → 64 KiB download → verify → store → apply → result", Core(cota), "", "", "", "", "");

        var u1 = Get("utf8-1000");
        var u4 = Get("utf8-4000");
        Row("UTF-8 encode (Text/Utf8)", "1,000 chars (mixed 1–4 byte)", Core(u1), "", "", "", "", "");
        bool utf = u1 is { Problem: null } && u4 is { Problem: null };
        double scale = utf ? u4!.BestMicros / u1!.BestMicros : double.NaN;
        Row("UTF-8 encode (Text/Utf8)", "4,000 chars", Core(u4), utf ? F(scale, "0.00") + "× the 1,000" : "", "", "", "≤ 5× the 1,000", utf ? (scale <= 5 ? "yes" : "**no**") : "?");

        var text = new StringBuilder();
        text.AppendLine(conditions);
        text.AppendLine("Clock: DateTime.UtcNow (mscorlib 1.17.11 has no Stopwatch or Environment.TickCount); smallest step seen "
            + F(r.ClockStep / 10.0, "0.#") + " µs. Each benchmark: one checked warm-up run, then 9 rounds of as many operations as fill ~150 ms; "
            + "the table gives the best round per operation and [the median]. Peer ÷ core: how many times longer the peer took.");
        text.AppendLine("Allocation per operation: not measurable here (no free-memory API works in this nanoCLR build; mscorlib has no GC.GetTotalMemory); "
            + "the host benchmarks (tests/CotaFirmware.Benchmarks) count bytes per operation.");
        text.AppendLine();
        string[] header = { "benchmark", "input", "core: best [median]", "unit", "peer: best", "peer ÷ core", "target", "met" };
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        text.AppendLine();
        text.AppendLine("Peers: nanoFramework.Json 2.2.208 (`JsonConvert.DeserializeObject` of the same text, already a string: into a Hashtable for "
            + "configs, into a typed class for the push), M2Mqtt 5.1.215 (`MqttMsgPublish.Parse` over the same bytes: the decoder alone, no client, no acks).");
        return text.ToString();
    }

    private static string Core(BenchResult? b) => b == null ? "missing" : b.Problem ?? Time(b.BestMicros) + " [" + Time(b.MedianMicros) + "]";

    private static string Peer(BenchResult? b) => b == null ? "" : b.Problem ?? Time(b.BestMicros);

    private static string Ratio(BenchResult? peer, BenchResult? core) =>
        peer is { Problem: null } && core is { Problem: null } ? F(peer.BestMicros / core.BestMicros, "0.0") + "×" : "—";

    private static string MetRatio(BenchResult? peer, BenchResult? core, double least) =>
        core is not { Problem: null } || peer == null ? "?"
        : peer.Problem != null ? "yes (peer " + peer.Problem.Split(' ')[0] + ")"
        : peer.BestMicros / core.BestMicros >= least ? "yes" : "**no**";

    private static string Met(BenchResult? b, Func<BenchResult, bool> test) => b is { Problem: null } ? (test(b) ? "yes" : "**no**") : "?";

    private static string PerToken(BenchResult? b) => b is { Problem: null } ? F(b.BestMicros * 1000 / b.Figure, "0") + " ns/token" : "";

    private static string PerPublish(BenchResult? b) => b is { Problem: null } ? F(b.BestMicros / b.Figure, "0.0") + " µs/publish" : "";

    private static string Tokens(BenchResult? b) => b is { Problem: null } ? b.Figure.ToString("N0", Invariant) + " tokens" : "? tokens";

    private static string Bytes(BenchResults r, string key) => r.Notes.TryGetValue(key, out int n) ? n.ToString("N0", Invariant) + " B" : "? B";

    private static string Time(double micros) =>
        micros >= 1000 ? F(micros / 1000, micros >= 100000 ? "0" : "0.00") + " ms" : F(micros, micros >= 100 ? "0" : "0.0") + " µs";

    private static string F(double value, string format) => value.ToString(format, Invariant);
}
