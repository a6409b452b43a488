using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CotaFirmware.Host.Cloud;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CotaFirmware.HostTests.HostApp;

/// <summary><c>publish --wait</c> follows the rollout in the snapshots the platform's event stream carries, reporting
/// each change of progress and each device's end from them.</summary>
[TestClass]
public sealed class PublishWaitTests
{
    private const string ConfigId = "cfg-wait-1";

    [TestMethod]
    public async Task ProgressAndVerdictComeFromTheEventsSnapshots()
    {
        using var data = new TempFolder("cota-publish-wait");
        Directory.CreateDirectory(data.Path);
        string config = Path.Combine(data.Path, "config.json");
        File.WriteAllText(config, "{\"telemetry\":{\"intervalSeconds\":15}}");
        // A console that answers publish and streams two snapshots, and has no /api/rollout: a command asking for the
        // rollout instead of reading it from the events is refused.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var console = builder.Build();
        console.MapPost("/api/publish", () => Results.Json(new PublishReply(ConfigId, "pk1", 34, "ab", ["dev1", "dev2"]), WebConsole.Json));
        console.MapGet("/api/events", (CancellationToken aborted) => TypedResults.ServerSentEvents(States(data.Path, aborted)));
        await console.StartAsync();
        new PlatformEndpoints { ConsolePort = new Uri(console.Urls.Single()).Port, ProcessId = Environment.ProcessId }.Save(data.Path);

        var (code, output, error) = CommandLineTests.Run("publish", config, "--data", data.Path, "--product-key", "pk1", "--wait");

        Assert.AreEqual(1, code, output + error);
        StringAssert.Contains(output, " s  applied 0/2, downloading 1, applying 0, waiting 1, rejected 0, rolled back 0");
        StringAssert.Contains(output, " s  applied 1/2, downloading 0, applying 0, waiting 0, rejected 1, rolled back 0");
        StringAssert.Contains(output, "1 of 2 devices did not apply " + ConfigId + ":\n  dev2: rejected it: fanSpeed: key_not_recognized");
        Assert.IsFalse(output.Contains("dev1:"), "dev1 applied it");
    }

    // Two state events, as the console sends them: dev1 downloading, then dev1 applied and dev2 rejected (dev3, not
    // pushed to, never moves); then the stream stays open.
    private static async IAsyncEnumerable<SseItem<string>> States(string folder, [EnumeratorCancellation] CancellationToken aborted)
    {
        yield return State(folder, 1, Device("dev1", RolloutStage.Downloading), Device("dev2", null), Device("dev3", null));
        yield return State(folder, 2, Device("dev1", RolloutStage.Applied), Device("dev2", RolloutStage.Rejected, "fanSpeed: key_not_recognized"),
            Device("dev3", null));
        await Task.Delay(Timeout.Infinite, aborted);
    }

    private static SseItem<string> State(string folder, long version, params RolloutDeviceView[] devices) =>
        new(JsonSerializer.Serialize(new FleetSnapshot(new PlatformView("127.0.0.1", 0, 0, 0, folder, DateTimeOffset.UnixEpoch, 1_048_576), version, [], [], [],
            [new RolloutView(ConfigId, "pk1", 34, DateTimeOffset.UnixEpoch, null, devices, [], RolloutHalt.Default)]), WebConsole.Json), "state");

    private static RolloutDeviceView Device(string name, RolloutStage? stage, params string[] reasons) =>
        new(name, stage, stage == RolloutStage.Downloading ? 10 : 0, 34, reasons);
}
