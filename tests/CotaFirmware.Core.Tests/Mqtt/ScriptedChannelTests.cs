namespace CotaFirmware.Tests.Mqtt;

/// <summary>Holds the tests' byte channel to the IByteChannel contract: counts or a ChannelStatus, 0 only on a timeout that time paid for.</summary>
[TestClass]
public sealed class ScriptedChannelTests
{
    [TestMethod]
    public void QueuedBytesArriveInChunksAndAnEmptyReadWaitsItsTimeout()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        byte[] buffer = new byte[8];
        Assert.AreEqual((int)ChannelStatus.Closed, channel.Read(buffer, 0, 8, 100), "not connected");
        Expect.Status(ChannelStatus.Ok, channel.Connect("127.0.0.1", 1883, false, 100));
        channel.MaxChunk = 3;
        channel.Queue(Ascii.Bytes("hello"));
        Assert.AreEqual(3, channel.Read(buffer, 0, 8, 100));
        Assert.AreEqual(2, channel.Read(buffer, 3, 8, 100));
        Assert.AreEqual("hello", Ascii.Text(buffer, 0, 5));
        Assert.AreEqual(0, channel.Read(buffer, 0, 8, 100));
        Assert.AreEqual(100L, clock.MonotonicMs, "the timeout passed");
        channel.PeerClosed = true;
        Assert.AreEqual((int)ChannelStatus.Closed, channel.Read(buffer, 0, 8, 100));
    }

    [TestMethod]
    public void AReplayedFrameComesForeverAndWritesCanBeDropped()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock, 16);
        channel.Replay = Ascii.Bytes("abc");
        channel.KeepsWritten = false;
        channel.Connect("127.0.0.1", 1883, false, 100);
        byte[] buffer = new byte[8];
        for (int i = 0; i < 10; i++)
        {
            Assert.AreEqual(3, channel.Read(buffer, 0, 8, 100));
            Assert.AreEqual(4, channel.Write(Ascii.Bytes("pong"), 0, 4), "more than 16 bytes in all are accepted");
        }

        Assert.AreEqual("abc", Ascii.Text(buffer, 0, 3));
        Assert.AreEqual(0, channel.WrittenCount);
        Assert.AreEqual(0L, clock.MonotonicMs, "no read waited");
    }
}
