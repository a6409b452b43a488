using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;

namespace CotaFirmware.Tests;

/// <summary>
/// Assertions the core's tests share, written so that MSTest and nanoFramework.TestFramework both compile them: an
/// expected exception, and one status comparison per status enum that names both values on failure (nanoCLR prints
/// an enum as its number).
/// </summary>
public static class Expect
{
    /// <summary>Runs <paramref name="action"/> and asserts that it throws exactly <paramref name="exceptionType"/>.</summary>
    public static void Throws(Type exceptionType, Action action)
    {
        Exception caught = null;
        try
        {
            action();
        }
        catch (Exception e)
        {
            caught = e;
        }

        Assert.IsNotNull(caught, "expected " + exceptionType.Name + ", but nothing was thrown");
        Assert.IsTrue(caught.GetType() == exceptionType, "expected " + exceptionType.Name + ", got " + caught.GetType().Name);
    }

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/>.</summary>
    public static void Status(CotaStatus expected, CotaStatus actual, string message = "") =>
        Same(CotaNames.Of(expected), (int)expected, CotaNames.Of(actual), (int)actual, message);

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/>.</summary>
    public static void Status(ConfigStatus expected, ConfigStatus actual, string message = "") =>
        Same(ConfigNames.Of(expected), (int)expected, ConfigNames.Of(actual), (int)actual, message);

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/>.</summary>
    public static void Status(ConfigErrorCode expected, ConfigErrorCode actual, string message = "") =>
        Same(ConfigNames.Of(expected), (int)expected, ConfigNames.Of(actual), (int)actual, message);

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/>.</summary>
    public static void Status(JsonError expected, JsonError actual, string message = "") =>
        Same(ConfigNames.Of(expected), (int)expected, ConfigNames.Of(actual), (int)actual, message);

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/>.</summary>
    public static void Status(JsonTokenKind expected, JsonTokenKind actual, string message = "") =>
        Same(StatusNames.Of(expected), (int)expected, StatusNames.Of(actual), (int)actual, message);

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/>.</summary>
    public static void Status(LinkkitStatus expected, LinkkitStatus actual, string message = "") =>
        Same(StatusNames.Of(expected), (int)expected, StatusNames.Of(actual), (int)actual, message);

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/>.</summary>
    public static void Status(RegistrationResult expected, RegistrationResult actual, string message = "") =>
        Same(StatusNames.Of(expected), (int)expected, StatusNames.Of(actual), (int)actual, message);

    /// <summary>Asserts that a call that returns an index or a negative <see cref="LinkkitStatus"/> returned <paramref name="expected"/>.</summary>
    public static void Status(LinkkitStatus expected, int actual, string message = "") =>
        Same(StatusNames.Of(expected), (int)expected, StatusNames.Of((LinkkitStatus)actual), actual, message);

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/>.</summary>
    public static void Status(MqttStatus expected, MqttStatus actual, string message = "") =>
        Same(StatusNames.Of(expected), (int)expected, StatusNames.Of(actual), (int)actual, message);

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/>.</summary>
    public static void Status(StorageStatus expected, StorageStatus actual, string message = "") =>
        Same(PlatformNames.Of(expected), (int)expected, PlatformNames.Of(actual), (int)actual, message);

    /// <summary>Asserts that a storage call returned the code <paramref name="expected"/> (not a byte count).</summary>
    public static void Status(StorageStatus expected, int actual, string message = "") =>
        Same(PlatformNames.Of(expected), (int)expected, PlatformNames.Of((StorageStatus)actual), actual, message);

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/>.</summary>
    public static void Status(ChannelStatus expected, ChannelStatus actual, string message = "") =>
        Same(StatusNames.Of(expected), (int)expected, StatusNames.Of(actual), (int)actual, message);

    /// <summary>Asserts that a channel call returned the code <paramref name="expected"/> (not a byte count).</summary>
    public static void Status(ChannelStatus expected, int actual, string message = "") =>
        Same(StatusNames.Of(expected), (int)expected, StatusNames.Of((ChannelStatus)actual), actual, message);

    /// <summary>Asserts that an HTTP call returned the failure <paramref name="expected"/> (not an HTTP status or a byte count).</summary>
    public static void Status(HttpStatus expected, int actual, string message = "") =>
        Same(PlatformNames.Of(expected), (int)expected, PlatformNames.OfHttp(actual), actual, message);

    private static void Same(string expectedName, int expected, string actualName, int actual, string message)
    {
        if (expected != actual)
        {
            Assert.AreEqual(expectedName + " (" + expected.ToString() + ")", actualName + " (" + actual.ToString() + ")", message);
        }
    }
}
