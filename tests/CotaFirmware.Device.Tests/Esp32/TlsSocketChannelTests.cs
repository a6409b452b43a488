using System.Net.Sockets;
using CotaFirmware.Esp32;
using CotaFirmware.Platform;
using nanoFramework.TestFramework;

namespace CotaFirmware.Tests.Esp32;

/// <summary>
/// The ESP32's byte channel names what went wrong as the core expects: a refused certificate is a TLS failure (Mbed
/// TLS's verify flags arrive as a SocketException's ErrorCode), a closed port is refused. Runs on nanoFramework only:
/// it uses the real System.Net, over loopback.
/// </summary>
[TestClass]
public class TlsSocketChannelTests
{
    [TestMethod]
    public void MbedTlsVerifyFlagsAreATlsFailureAndSocketErrorsAreNot()
    {
        Assert.IsTrue(TlsSocketChannel.IsVerifyFailure(new SocketException((SocketError)8)), "not trusted");
        Assert.IsTrue(TlsSocketChannel.IsVerifyFailure(new SocketException((SocketError)4)), "host name mismatch");
        Assert.IsFalse(TlsSocketChannel.IsVerifyFailure(new SocketException(SocketError.ConnectionRefused)), "refused");
        Assert.IsFalse(TlsSocketChannel.IsVerifyFailure(new SocketException(SocketError.TimedOut)), "timed out");
    }

    [TestMethod]
    public void AClosedLoopbackPortIsRefusedAndTheChannelStaysClosed()
    {
        TlsSocketChannel channel = new TlsSocketChannel(null);
        Assert.AreEqual((int)ChannelStatus.Refused, (int)channel.Connect("127.0.0.1", 1, false, 2000));
        Assert.AreEqual((int)ChannelStatus.Closed, channel.Read(new byte[4], 0, 4, 10));
        Assert.AreEqual((int)ChannelStatus.Closed, channel.Write(new byte[4], 0, 4));
    }
}
