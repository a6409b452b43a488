using CotaFirmware.Host.Cloud;
using CotaFirmware.HostTests.Gate;

namespace CotaFirmware.HostTests.Esp32;

/// <summary>
/// One ESP32 running the firmware's own application on nanoCLR: its flash (<c>I:\</c>) in a temporary folder that
/// outlives each run, as a device's flash outlives a reboot or a power cut; the application's .pe files from the test
/// run's Release device build.
/// </summary>
public sealed class NanoClrEsp32 : IDisposable
{
    /// <summary>The managed heap every run gets: the end-to-end runs must fit in it.</summary>
    public const int HeapBytes = 160000;

    private static readonly Lazy<List<string>> Load = new(() =>
        Esp32Image.LoadOrder(NanoPipeline.Result.Results["Release"].Build));

    private readonly string _boardJson;
    private readonly object _device;

    /// <summary>
    /// A device that trusts <paramref name="platform"/>'s CA and connects to it over TLS with the MQTT session
    /// <paramref name="transport"/> (<c>core</c> or <c>m2mqtt</c>); <paramref name="device"/> is its device.json.
    /// </summary>
    public NanoClrEsp32(LocalPlatform platform, string transport, object device)
    {
        NanoToolsGuard.Require();
        Flash = Directory.CreateTempSubdirectory("nanoclr-flash").FullName;
        _boardJson = Esp32Image.Board(transport);
        _device = device;
        RootCaPem = platform.CaPem;
    }

    /// <summary>The host folder that is the device's <c>I:\</c>.</summary>
    public string Flash { get; }

    /// <summary>The root CA deployed as root-ca.pem.</summary>
    public string RootCaPem { get; set; }

    /// <summary>The run going on or the last one.</summary>
    public AppRun? Run { get; private set; }

    /// <summary>Every run's output so far, for a failure's message.</summary>
    public List<string> Log { get; } = new();

    /// <summary>device.json for a device of <paramref name="platform"/> that holds its secret.</summary>
    public static object Provisioned(LocalPlatform platform, string productKey, string deviceName, string deviceSecret) =>
        Esp32Image.LocalDevice(productKey, deviceName, deviceSecret, platform.Host, platform.MqttTlsPort, platform.HttpsPort);

    /// <summary>Deploys the files (as nanoff would) and boots the application.</summary>
    public AppRun Boot()
    {
        Run?.Dispose();
        Esp32Image.Deploy(Flash, _boardJson, _device, RootCaPem);
        Log.Add("--- boot " + (Log.Count(l => l.StartsWith("--- boot", StringComparison.Ordinal)) + 1));
        Run = AppRun.Start(Load.Value, Flash, HeapBytes, null, line =>
        {
            lock (Log)
            {
                Log.Add(line);
            }
        });
        return Run;
    }

    /// <summary>Waits in the current run for a line that <paramref name="pattern"/> matches.</summary>
    public Task<int> ExpectAsync(string pattern, int seconds = 60, int from = 0) =>
        Run!.WaitForLineAsync(pattern, TimeSpan.FromSeconds(seconds), from);

    /// <summary>Everything the device printed, for a failure's message.</summary>
    public string Output()
    {
        lock (Log)
        {
            // The firmware's log lines ("I area: ..."), the boots, and what the interpreter says about a crash or the heap.
            return string.Join("\n", Log.Where(l => l.StartsWith("--- boot", StringComparison.Ordinal) || (l.Length > 2 && l[1] == ' ' && "DIWE".Contains(l[0], StringComparison.Ordinal))
                || l.Contains("Exception", StringComparison.Ordinal) || l.StartsWith("nanoclr-alloc", StringComparison.Ordinal)).TakeLast(80));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Run?.Dispose();
        try
        {
            Directory.Delete(Flash, true);
        }
        catch (IOException)
        {
        }
    }
}
