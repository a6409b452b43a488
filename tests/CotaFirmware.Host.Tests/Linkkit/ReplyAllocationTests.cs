using System.Text;
using CotaFirmware.Cota;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;
using CotaFirmware.Tests.Linkkit;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace CotaFirmware.HostTests.Linkkit;

/// <summary>A reply's way up allocates nothing: LinkKit reads the envelope once, and COTA reads only the data view it is handed.</summary>
[TestClass]
public sealed class ReplyAllocationTests
{
    // What COTA does with a get_reply, without the rest of the service: parse the data view LinkKit handed up.
    private sealed class ConfigReplies : IReplyHandler
    {
        public readonly ConfigMessage Message = new ConfigMessage(256);
        public int Offers;

        public void OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, int size, byte[] data, int offset, int count)
        {
            if (status == ReplyStatus.Replied && Message.ParseReply(code, data, offset, count, 1 << 20) == CotaStatus.Ok)
            {
                Offers++;
            }
        }
    }

    [TestMethod]
    public void AGetReplyIsReadOnceAndParsedWithoutAllocating()
    {
        var t = new TestDevice(null);
        var replies = new ConfigReplies();
        t.Device.DefineRequest("thing/config/get", "thing.config.get", replies);
        t.Device.Connect();
        byte[] topic = Encoding.ASCII.GetBytes("/sys/pk1/dn1/thing/config/get_reply");
        byte[] reply = Encoding.ASCII.GetBytes("{\"id\":\"12\",\"version\":\"1.0\",\"code\":200,\"data\":{\"configId\":\"c1\",\"configSize\":1234,\"sign\":\""
            + new string('a', 64) + "\",\"signMethod\":\"Sha256\",\"url\":\"https://h/p?Expires=1&Signature=x\",\"getType\":\"file\"},\"method\":\"thing.config.get\"}");
        var listener = (IMqttSessionListener)t.Device;

        for (int i = 0; i < 100; i++)
        {
            listener.OnMessage(topic, 0, topic.Length, reply, 0, reply.Length); // warm up: JIT and first-use work
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            listener.OnMessage(topic, 0, topic.Length, reply, 0, reply.Length);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(0L, allocated, "bytes allocated by 1000 replies");
        Assert.AreEqual(1100, replies.Offers);
        Assert.AreEqual("c1", replies.Message.ConfigIdText());
    }
}
