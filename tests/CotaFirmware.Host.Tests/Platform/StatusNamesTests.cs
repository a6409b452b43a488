using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;

namespace CotaFirmware.HostTests.Platform;

/// <summary>The name tables, the shared tests' and the firmware's, say each enum value's own name, so a failed status assertion and a result read true.</summary>
[TestClass]
public sealed class StatusNamesTests
{
    private static void EveryValueNamed<T>(Func<T, string> name)
        where T : struct, Enum
    {
        foreach (T value in Enum.GetValues<T>())
        {
            Assert.AreEqual(value.ToString(), name(value), typeof(T).Name);
        }
    }

    [TestMethod]
    public void EachTableNamesEveryValueAsTheEnumDoes()
    {
        EveryValueNamed<LinkkitStatus>(StatusNames.Of);
        EveryValueNamed<MqttStatus>(StatusNames.Of);
        EveryValueNamed<ChannelStatus>(StatusNames.Of);
        EveryValueNamed<JsonTokenKind>(StatusNames.Of);
        EveryValueNamed<RegistrationResult>(StatusNames.Of);

        // The firmware's own tables: results and log lines carry these names, and a value missing would read "Unknown".
        EveryValueNamed<ConfigStatus>(ConfigNames.Of);
        EveryValueNamed<CotaStatus>(CotaNames.Of);
        EveryValueNamed<StorageStatus>(PlatformNames.Of);
        EveryValueNamed<HttpStatus>(PlatformNames.Of);
    }

    [TestMethod]
    public void AFailedStatusAssertionNamesBothValues()
    {
        var failure = Assert.ThrowsExactly<AssertFailedException>(() => Expect.Status(LinkkitStatus.BadTopic, LinkkitStatus.Ok, "route"));
        StringAssert.Contains(failure.Message, "BadTopic (-17)");
        StringAssert.Contains(failure.Message, "Ok (0)");
        StringAssert.Contains(failure.Message, "route");
        failure = Assert.ThrowsExactly<AssertFailedException>(() => Expect.Status(HttpStatus.Timeout, 206));
        StringAssert.Contains(failure.Message, "HTTP 206");
        Expect.Status(StorageStatus.Full, (int)StorageStatus.Full);
    }
}
