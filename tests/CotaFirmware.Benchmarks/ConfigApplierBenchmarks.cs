using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CotaFirmware.Config;
using CotaFirmware.Config.Modules;
using CotaFirmware.Json;
using CotaFirmware.Platform;
using CotaFirmware.Tests;
using CotaFirmware.Tests.Config;

namespace CotaFirmware.Benchmarks;

/// <summary>
/// The boot-time apply of a stored config (store boot with its SHA-256 check of the slot, parse through a 128-byte
/// window, SHA-256 of every section, each module reading its section) against System.Text.Json parsing the same
/// bytes into a JsonDocument plus one SHA-256 of the file (.NET's SHA instructions).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ConfigApplierBenchmarks
{
    private byte[] _json = Array.Empty<byte>();
    private readonly byte[] _digest = new byte[32];
    private ConfigApplier _applier = null!;

    [Params(16384)]
    public int Size;

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder("{\"telemetry\":{\"intervalSeconds\":60},\"statusLed\":{\"pattern\":\"blink\"},");
        text.Append("\"wifi\":{\"ssid\":\"plant-floor\",\"password\":\"correct-horse\"},\"table\":[");
        for (int i = 0; text.Length < Size - 40; i++)
        {
            text.Append(i == 0 ? "" : ",").Append("{\"id\":").Append(i).Append(",\"name\":\"sensor-").Append(i).Append("\",\"gain\":1.25}");
        }

        text.Append("]}");
        _json = Encoding.UTF8.GetBytes(text.ToString());
        var storage = new MemoryStorage { KeepsLog = false };
        var store = new ConfigStore(storage, new byte[1024], 1 << 20, 3);
        var registry = new ModuleRegistry(4);
        registry.Register(new TelemetryIntervalModule(60));
        registry.Register(new StatusLedPatternModule(StatusLedPattern.Heartbeat));
        registry.Register(new WifiCredentialsModule("plant", "factory-pass"));
        registry.Register(new TableModule());
        _applier = new ConfigApplier(store, registry, null, new byte[128], new byte[128], 8);
        _applier.Boot();
        store.Begin(new[] { (byte)'c' }, 0, 1, _json.Length);
        store.Append(_json, 0, _json.Length);
        while (store.Seal(null, 0) == ConfigStatus.InProgress)
        {
        }

        // The Wi-Fi section asks for a reboot: boot again, then confirm.
        bool accepted = _applier.ApplyCandidate() == ConfigStatus.Ok;
        _applier.Boot();
        if (!accepted || _applier.Confirm() != ConfigStatus.Ok)
        {
            throw new InvalidOperationException("config not accepted");
        }
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse + SHA-256 (.NET)")]
    public int DotNet()
    {
        using var document = JsonDocument.Parse(_json);
        SHA256.HashData(_json, _digest);
        return document.RootElement.GetArrayLength_Safe() + _digest[0];
    }

    [Benchmark(Description = "ConfigApplier.Boot")]
    public ConfigStatus Boot() => _applier.Boot();

    private sealed class TableModule : IConfigModule
    {
        public byte[] Name { get; } = Encoding.ASCII.GetBytes("table");

        public ConfigApplyPolicy Policy => ConfigApplyPolicy.Live;

        public int Rows { get; private set; }

        public void Validate(JsonReader section, ConfigErrors errors)
        {
        }

        public void Apply(JsonReader section)
        {
            Rows = 0;
            while (section.Read())
            {
                if (section.TokenKind == JsonTokenKind.BeginObject)
                {
                    Rows++;
                }
            }
        }

        public void ApplyDefaults() => Rows = 0;

        public void Stop()
        {
        }

        public void Start()
        {
        }
    }
}

internal static class JsonElementExtensions
{
    public static int GetArrayLength_Safe(this JsonElement root) => root.TryGetProperty("table", out var table) ? table.GetArrayLength() : 0;
}
