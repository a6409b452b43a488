using CotaFirmware.HostTests.Cota;
using CotaFirmware.HostTests.Platform;
using CotaFirmware.Linkkit;
using CotaFirmware.Tests.Platform;

namespace CotaFirmware.HostTests.Linkkit;

/// <summary>
/// The device secret (<c>lk_secret</c>) under a power cut at every write of a registration, cleanly and torn: the next
/// boot, offline, finds the old identity or the new one, never none.
/// </summary>
[TestClass]
public sealed class RegistrationPowerCutTests
{
    private const string OldSecret = "old0Secret0abcdef";
    private const string NewSecret = "new0Secret0ABCDEF";
    private static readonly int[] Tears = { 0, 1, 66, 131 };

    private static DeviceIdentity Unregistered() => new("pk1", "dn1", null, "prodSecretQ7");

    private static ScriptedHttpClient Issuing(string secret) =>
        new(Ascii.Bytes("{\"code\":200,\"data\":{\"productKey\":\"pk1\",\"deviceName\":\"dn1\",\"deviceSecret\":\"" + secret + "\"}}"));

    private static ScriptedHttpClient Offline() => new(Array.Empty<byte>()) { Otherwise = ScriptedResponse.WithStatus((int)HttpStatus.Unreachable) };

    private static RegistrationResult Register(IStorage storage, string secret) =>
        new DeviceRegistration(Issuing(secret), storage, new RecordingMac(), new Random(1), new RecordingLog(), new ManualClock()).Register(Unregistered(), new LinkkitSettings());

    private static void Legacy(FaultyStorage storage)
    {
        byte[] text = Ascii.Bytes("pk1\ndn1\n" + OldSecret + "\n");
        storage.Write(DeviceSecretRecord.LegacyArea, 0, text, 0, text.Length);
    }

    private static void Sealed(FaultyStorage storage) => Assert.AreEqual(RegistrationResult.Registered, Register(storage, OldSecret));

    [TestMethod]
    public void ARegistrationOverTheFirstFormatsSecretEndsInTheOldOrTheNew()
    {
        int endedNew = CutEverywhere(Legacy, storage => Register(storage, NewSecret), OldSecret, NewSecret);
        Assert.IsTrue(endedNew > 0, "a cut after the new copy landed");
    }

    [TestMethod]
    public void ARegistrationOverASealedSecretEndsInTheOldOrTheNew()
    {
        int endedNew = CutEverywhere(Sealed, storage => Register(storage, NewSecret), OldSecret, NewSecret);
        Assert.IsTrue(endedNew > 0);
    }

    [TestMethod]
    public void MovingTheFirstFormatsSecretKeepsIt()
    {
        CutEverywhere(Legacy, storage => new DeviceRegistration(Offline(), storage, new RecordingMac(), new Random(1), new RecordingLog(), new ManualClock()).Obtain(Unregistered(), new LinkkitSettings()), OldSecret, OldSecret);
    }

    [TestMethod]
    public void AFirstRegistrationEndsWithNoneOrTheNew()
    {
        CutEverywhere(_ => { }, storage => Register(storage, NewSecret), null, NewSecret);
    }

    // Every cut, torn in every way, ends in oldSecret or done, the secret the whole operation ends in, and the boot
    // after agrees. Returns how many ended in done.
    private static int CutEverywhere(Action<FaultyStorage> before, Func<IStorage, RegistrationResult> operation, string? oldSecret, string done)
    {
        return PowerCuts.CutAtEveryWrite(before, flash => operation(flash), Tears, (flash, where) =>
        {
            string? secret = Boot(flash);
            Assert.IsTrue(secret == done || secret == oldSecret, where + ": " + secret);
            Assert.AreEqual(secret, Boot(flash), where + ": the next boot agrees");
            return secret == done;
        }, out _);
    }

    // An offline boot: the stored secret, or null when none is readable.
    private static string? Boot(IStorage storage)
    {
        var identity = Unregistered();
        RegistrationResult r = new DeviceRegistration(Offline(), storage, new RecordingMac(), new Random(2), new RecordingLog(), new ManualClock()).Obtain(identity, new LinkkitSettings());
        Assert.IsTrue(r == RegistrationResult.Reused || (r == RegistrationResult.NetworkError && identity.DeviceSecret == null), r.ToString());
        return identity.DeviceSecret;
    }
}
