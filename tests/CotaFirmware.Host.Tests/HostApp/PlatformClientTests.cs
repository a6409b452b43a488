using System.Text;
using System.Text.Json;
using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud;
using CotaFirmware.Host.Cloud.Web;
using CotaFirmware.HostTests.Cota;

namespace CotaFirmware.HostTests.HostApp;

/// <summary>The CLI's calls to a running platform's API: a refusal or a connection lost is a clear failed run (exit 1), never
/// an exception of the HTTP stack nor a misleading message.</summary>
[TestClass]
public sealed class PlatformClientTests
{
    [TestMethod]
    public async Task AnAnswerCutShortIsThePlatformNotAnswering()
    {
        using var server = new RangeServer(Encoding.UTF8.GetBytes("{\"devices\":[1,2,3,4,5,6,7,8,9]}")) { DropAfterBytes = 5 };

        var e = await Assert.ThrowsExactlyAsync<RunFailedException>(() =>
            PlatformClient.CallAsync<JsonElement>(new PlatformEndpoints { ConsolePort = server.Port }, HttpMethod.Get, "state"));

        StringAssert.Contains(e.Message, "does not answer");
    }

    // Follows the server's event stream as publish --wait does, to the failure that must end it.
    private static async Task<RunFailedException> StreamError(RangeServer server)
    {
        using var stop = new CancellationTokenSource();
        return await Assert.ThrowsExactlyAsync<RunFailedException>(async () =>
        {
            await foreach (var _ in PlatformClient.SnapshotsAsync(new PlatformEndpoints { ConsolePort = server.Port }, stop.Token))
            {
            }
        });
    }

    [TestMethod]
    public async Task ARefusedEventStreamReportsTheRefusal()
    {
        using var server = new RangeServer([]) { Status = 403 };
        StringAssert.Contains((await StreamError(server)).Message, "the local platform refused: <html><body>Error</body></html>");
    }

    [TestMethod]
    public async Task AStateEventThatIsNoSnapshotIsAClearError()
    {
        using var server = new RangeServer(Encoding.UTF8.GetBytes("event: state\ndata: [1,2]\n\n"));
        StringAssert.Contains((await StreamError(server)).Message, "sent a state event that is no FleetSnapshot");
    }

    [TestMethod]
    public async Task AnEventStreamCutShortIsThePlatformStopping()
    {
        // A platform killed while publish --wait follows it: the stream ends in the middle of its body.
        string state = "event: state\ndata: {}\n\n";
        using var server = new RangeServer(Encoding.UTF8.GetBytes(state + "event: idle\ndata: \n\n")) { DropAfterBytes = state.Length + 3 };
        StringAssert.Contains((await StreamError(server)).Message, "closed its event stream: is `cota-host cloud` still running?");
    }

    [TestMethod]
    public async Task AnAnswerThatIsNoJsonIsAClearError()
    {
        using var server = new RangeServer(Encoding.UTF8.GetBytes("<html>proxy login</html>"));

        var e = await Assert.ThrowsExactlyAsync<RunFailedException>(() =>
            PlatformClient.CallAsync<RolloutView>(new PlatformEndpoints { ConsolePort = server.Port }, HttpMethod.Get, "rollout?configId=c1"));

        StringAssert.Contains(e.Message, "sent an answer that is no RolloutView");
    }
}
