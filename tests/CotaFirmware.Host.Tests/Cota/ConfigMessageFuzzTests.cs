using System.Text;
using CotaFirmware.Cota;
using CsCheck;

namespace CotaFirmware.HostTests.Cota;

/// <summary>Mutated pushes and get_replies: parsing never throws, and every message gets one of the defined results.</summary>
[TestClass]
public sealed class ConfigMessageFuzzTests
{
    private const string Fields = "{\"configId\":\"c1\",\"configSize\":1234,\"sign\":\"" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        + "\",\"signMethod\":\"Sha256\",\"url\":\"https://h/p?Expires=1&Signature=x\",\"getType\":\"file\"}";

    private static readonly byte[] Push = Encoding.ASCII.GetBytes("{\"id\":\"123\",\"version\":\"1.0\",\"params\":" + Fields + ",\"method\":\"thing.config.push\"}");

    // What LinkKit hands up of a get_reply: the view of its data.
    private static readonly byte[] Data = Encoding.ASCII.GetBytes(Fields);

    [TestMethod]
    public void MutatedMessagesNeverThrowAndEndInADefinedStatus()
    {
        Gen.Int.Sample(seed =>
        {
            var message = new ConfigMessage(256);
            var offer = new ConfigOffer(256);
            var r = new Random(seed);
            bool push = r.Next(2) == 0;
            byte[] b = (byte[])(push ? Push : Data).Clone();
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

            // A push is read whole; a get_reply's data view (LinkKit read its envelope), with 200 or another code.
            CotaStatus status = push ? message.ParsePush(b, 0, b.Length, 100000)
                : message.ParseReply(r.Next(4) == 0 ? 6710 : 200, b, 0, b.Length, 100000);
            Assert.IsTrue(status is CotaStatus.Ok or CotaStatus.Malformed or CotaStatus.ConfigIdInvalid or CotaStatus.ConfigSizeInvalid
                or CotaStatus.GetTypeNotFile or CotaStatus.SignMethodUnsupported or CotaStatus.SignInvalid or CotaStatus.UrlInvalid
                or CotaStatus.TooLarge or CotaStatus.NoConfig);
            Assert.AreEqual(status == CotaStatus.Ok, message.Problem == null, status + " " + message.Problem + " " + Encoding.ASCII.GetString(b));
            if (status == CotaStatus.Ok)
            {
                Assert.IsTrue(message.CopyTo(offer));
                Assert.IsTrue(!push || message.IdTokenLength > 0, Encoding.ASCII.GetString(b));
            }
        }, iter: 20000);
    }
}
