using System.Text;
using CotaFirmware.Cota;
using CsCheck;

namespace CotaFirmware.HostTests.Cota;

/// <summary>Mutated pushes and get_replies: parsing never throws, and every message gets one of the defined results.</summary>
[TestClass]
public sealed class ConfigMessageFuzzTests
{
    private static readonly byte[] Push = Encoding.ASCII.GetBytes("{\"id\":\"123\",\"version\":\"1.0\",\"params\":{\"configId\":\"c1\",\"configSize\":1234,\"sign\":\""
        + new string('a', 64) + "\",\"signMethod\":\"Sha256\",\"url\":\"https://h/p?Expires=1&Signature=x\",\"getType\":\"file\"},\"method\":\"thing.config.push\"}");

    [TestMethod]
    public void MutatedMessagesNeverThrowAndEndInADefinedStatus()
    {
        Gen.Int.Sample(seed =>
        {
            var message = new ConfigMessage(256);
            var offer = new ConfigOffer(256);
            var r = new Random(seed);
            byte[] b = (byte[])Push.Clone();
            int edits = r.Next(1, 6);
            for (int i = 0; i < edits; i++)
            {
                int at = r.Next(b.Length);
                switch (r.Next(3))
                {
                    case 0: b[at] = (byte)r.Next(256); break;
                    case 1: b = b.Take(at).Concat(b.Skip(at + 1)).ToArray(); break;
                    default: b = b.Take(at).Append((byte)"{}[]\",:0-e\\"[r.Next(11)]).Concat(b.Skip(at)).ToArray(); break;
                }
            }

            var kind = r.Next(2) == 0 ? ConfigMessageKind.Push : ConfigMessageKind.GetReply;
            CotaStatus status = message.Parse(kind, b, 0, b.Length, 100000);
            Assert.IsTrue(status is CotaStatus.Ok or CotaStatus.Malformed or CotaStatus.ConfigIdInvalid or CotaStatus.ConfigSizeInvalid
                or CotaStatus.GetTypeNotFile or CotaStatus.SignMethodUnsupported or CotaStatus.SignInvalid or CotaStatus.UrlInvalid
                or CotaStatus.TooLarge or CotaStatus.NoConfig);
            Assert.AreEqual(status == CotaStatus.Ok, message.Problem == null, status + " " + message.Problem + " " + Encoding.ASCII.GetString(b));
            if (status == CotaStatus.Ok)
            {
                Assert.IsTrue(message.CopyTo(offer));
                Assert.IsTrue(message.IdTokenLength > 0, Encoding.ASCII.GetString(b));
            }
        }, iter: 20000);
    }
}
