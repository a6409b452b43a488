using CotaFirmware.Config;
using CotaFirmware.Host.Board;
using CsCheck;

namespace CotaFirmware.HostTests.Config;

/// <summary>Mutated configs never make the applier throw, never half-apply, and an accepted one always leaves modules within their ranges.</summary>
[TestClass]
public sealed class ApplierPropertyTests
{
    private const string Base = "{\"telemetry\":{\"intervalSeconds\":10},\"wifi\":{\"ssid\":\"plant\",\"password\":\"good-pass\"}}";
    private const string Alphabet = "{}[]\":,.-+eE0123456789 \\ustlrnfaipw";

    private static readonly Gen<(int Seed, int Edits)> Inputs = Gen.Select(Gen.Int, Gen.Int[1, 4]);

    private static string Mutate(string text, int seed, int edits)
    {
        var random = new Random(seed);
        var chars = new List<char>(text);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(chars.Count + 1);
            char c = Alphabet[random.Next(Alphabet.Length)];
            switch (random.Next(3))
            {
                case 0 when at < chars.Count:
                    chars.RemoveAt(at);
                    break;
                case 1 when at < chars.Count:
                    chars[at] = c;
                    break;
                default:
                    chars.Insert(at, c);
                    break;
            }
        }

        return new string(chars.ToArray());
    }

    [TestMethod]
    public void MutatedConfigsAreEitherRejectedWithErrorsOrAppliedWithinRange()
    {
        int accepted = 0;
        int rejected = 0;
        Inputs.Sample(t =>
        {
            string json = Mutate(Base, t.Seed, t.Edits);
            var flash = new MemoryStorage();
            var device = new ApplierDevice(flash, null);
            Assert.IsTrue(device.Offer("old", "{\"telemetry\":{\"intervalSeconds\":30}}"));
            Assert.AreEqual(ConfigStatus.Ok, device.Applier.Confirm());

            bool ok = device.Offer("new", json);
            if (!ok)
            {
                Interlocked.Increment(ref rejected);
                Assert.IsTrue(device.Applier.Errors.ErrorCount > 0, json);
                Assert.IsFalse(device.Store.IsOnTrial, json);
                Assert.AreEqual("old", device.ActiveId(), json);
                Assert.AreEqual(30, device.Telemetry.IntervalSeconds, json);
                return;
            }

            Interlocked.Increment(ref accepted);
            if (device.Applier.RebootRequested)
            {
                device = new ApplierDevice(flash, null);
            }

            Assert.AreEqual("new", device.ActiveId(), json);
            Assert.IsTrue(device.Telemetry.IntervalSeconds is >= 1 and <= 86400, json);
            int ssid = System.Text.Encoding.UTF8.GetByteCount(device.Wifi.Ssid);
            int password = System.Text.Encoding.UTF8.GetByteCount(device.Wifi.Password);
            Assert.IsTrue(ssid is >= 1 and <= 32 && password is >= 8 and <= 63, json);
            Assert.AreEqual(ConfigStatus.Ok, device.Applier.Confirm(), json);
        }, iter: 1500);

        Assert.IsTrue(accepted > 0 && rejected > 0, $"accepted {accepted}, rejected {rejected}");
    }
}
