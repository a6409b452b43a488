using CotaFirmware.Host.Cloud.Cota;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>How the platform words a device's result: the errors say why, the reason only when nothing else does.</summary>
[TestClass]
public sealed class ResultReportTests
{
    [TestMethod]
    public void ModuleErrorsAreTheReasonsWithoutALoneRejected()
    {
        var report = Read("{\"configId\":\"c1\",\"status\":\"rejected\",\"reason\":\"Rejected\",\"errors\":[{\"module\":\"\",\"key\":\"fanSpeed\",\"code\":\"key_not_recognized\"},"
            + "{\"module\":\"telemetry\",\"key\":\"intervalSeconds\",\"code\":\"duplicate_key\"}],\"seq\":4}");
        Assert.AreEqual("fanSpeed: key_not_recognized; telemetry.intervalSeconds: duplicate_key", report.Reasons);
        Assert.IsTrue(report.RefusesConfig);
    }

    [TestMethod]
    public void TooLargeNamesTheSizeAndTheDevicesLimit()
    {
        var report = Read("{\"configId\":\"big\",\"status\":\"rejected\",\"reason\":\"TooLarge\",\"errors\":[],\"configSize\":5242880,\"maxConfigSize\":1048576,\"seq\":2}");
        Assert.AreEqual("too large: the config is 5,242,880 bytes, the device takes at most 1,048,576 (maxConfigSize in its board.json)", report.Reasons);
    }

    [TestMethod]
    public void AReasonWithoutErrorsIsKept()
    {
        var report = Read("{\"configId\":\"c2\",\"status\":\"rolled_back\",\"reason\":\"DeadlineWithoutContact\",\"errors\":[],\"seq\":3}");
        Assert.AreEqual("reason=DeadlineWithoutContact", report.Reasons);
    }

    [TestMethod]
    public void AResultSaysWhetherTheDeviceTakesTheConfigAgainAsItsFirmwareDecides()
    {
        foreach (var (result, notTakenAgain) in new[]
        {
            ("\"status\":\"rejected\",\"reason\":\"Rejected\",\"errors\":[]", true),
            ("\"status\":\"rolled_back\",\"reason\":\"ModuleFailed\",\"errors\":[]", true),
            ("\"status\":\"failed\",\"reason\":\"HashMismatch\",\"errors\":[{\"module\":\"download\",\"code\":\"HashMismatch\"}]", true),
            ("\"status\":\"failed\",\"reason\":\"HttpError\",\"errors\":[{\"module\":\"download\",\"code\":\"HttpError\"}]", false),
            ("\"status\":\"superseded\",\"reason\":\"Superseded\",\"errors\":[]", false),
            ("\"status\":\"applied\"", false),
            // No reason (another firmware): a refusal of the config itself.
            ("\"status\":\"rejected\",\"errors\":[{\"module\":\"\",\"key\":\"fan\",\"code\":\"key_not_recognized\"}]", true),
            ("\"status\":\"rejected\",\"errors\":[{\"module\":\"download\",\"code\":\"HttpError\"}]", false),
        })
        {
            Assert.AreEqual(notTakenAgain, Read("{\"configId\":\"c3\"," + result + "}").NotTakenAgain, result);
        }
    }

    private static ResultReport Read(string resultParams) =>
        ResultReport.From(new DeviceMessage(1, DateTimeOffset.UtcNow, "pk", "dev1", DeviceMessageKind.Result, "/sys/pk/dev1/thing/event/ConfigResult/post",
            "ConfigResult", "\"1\"", null, "{\"id\":\"1\",\"version\":\"1.0\",\"params\":" + resultParams + ",\"method\":\"thing.event.ConfigResult.post\"}", true))!;
}
