using CotaFirmware.App;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;
using CotaFirmware.Tests.Config;
using CotaFirmware.Tests.Cota;
using CotaFirmware.Tests.Network;

namespace CotaFirmware.Tests.App;

[TestClass]
public class CotaDeviceTests
{
    private const string Prefix = "/sys/pk1/dn1/";

    [TestMethod]
    public void AConfigFromGetIsDownloadedStoredAppliedConfirmedAndReported()
    {
        byte[] file = Ascii.Bytes("{\"telemetry\":{\"intervalSeconds\":30}}");
        var session = new ScriptedMqttSession();
        var clock = new ManualClock(1000, 1700000000000);
        var device = NewDevice(session, clock, file, 1);

        device.Start();
        Assert.AreEqual(60, device.State.TelemetryIntervalSeconds);
        int answered = 0;
        for (int i = 0; i < 2000 && CountOn(session, "thing/event/ConfigResult/post") == 0; i++)
        {
            device.Step();
            clock.Advance(50);
            if (CountOn(session, "thing/config/get") > answered)
            {
                answered++;
                session.Enqueue(Prefix + "thing/config/get_reply", CotaRig.GetReplyOf(IdOf(LastOn(session, "thing/config/get")), CotaRig.Fields("cfg-1", file)));
            }
        }

        Assert.IsTrue(device.IsConnected);
        Assert.AreEqual(30, device.State.TelemetryIntervalSeconds);
        Assert.IsFalse(device.State.IsOnTrial);
        Assert.AreEqual(2, answered);
        string result = LastOn(session, "thing/event/ConfigResult/post");
        Assert.IsTrue(result.IndexOf("\"configId\":\"cfg-1\"") > 0);
        Assert.IsTrue(result.IndexOf("\"status\":\"applied\"") > 0);
    }

    [TestMethod]
    public void ARejectedConfigIsReportedAndNothingChanges()
    {
        byte[] file = Ascii.Bytes("{\"telemetry\":{\"intervalSeconds\":0}}");
        var session = new ScriptedMqttSession();
        var clock = new ManualClock(1000, 1700000000000);
        var device = NewDevice(session, clock, file, 2);

        device.Start();
        device.Step();
        session.Enqueue(Prefix + "thing/config/push", CotaRig.PushOf("\"9\"", CotaRig.Fields("cfg-bad", file)));
        for (int i = 0; i < 2000 && CountOn(session, "thing/event/ConfigResult/post") == 0; i++)
        {
            device.Step();
            clock.Advance(50);
        }

        string result = LastOn(session, "thing/event/ConfigResult/post");
        Assert.IsNotNull(result);
        Assert.IsTrue(result.IndexOf("\"status\":\"rejected\"") > 0);
        Assert.AreEqual(60, device.State.TelemetryIntervalSeconds);
        Assert.IsFalse(device.State.IsOnTrial);
        Assert.IsTrue(LastOn(session, "thing/config/push_reply").IndexOf("\"code\":200") > 0);
    }

    [TestMethod]
    public void ABoardJsonAtEveryLowestLimitBuildsAndStartsADevice()
    {
        // A range is its layer's own: a board.json that is accepted never stops the device as it is built.
        byte[] b = Ascii.Bytes("{\"mqttRxBufferSize\":" + BoardSettings.MinMqttRxBufferSize.ToString() + ",\"mqttTxBufferSize\":"
            + BoardSettings.MinMqttTxBufferSize.ToString() + ",\"downloadBufferSize\":" + BoardSettings.MinDownloadBufferSize.ToString()
            + ",\"jsonWindowSize\":" + BoardSettings.MinJsonWindowSize.ToString() + ",\"maxConfigSize\":" + BoardSettings.MinConfigSize.ToString()
            + ",\"downloadJitterMs\":0,\"trialDeadlineMs\":" + BoardSettings.MinTrialDeadlineMs.ToString() + ",\"maxTrialBoots\":1,\"keepAliveSeconds\":"
            + MqttClient.MinKeepAliveSeconds.ToString() + "}");
        DeviceSettings settings = TestBoard.Settings(new DeviceIdentity("pk1", "dn1", TestDevice.Secret, null));
        BoardSettings accepted = new BoardSettings();
        Assert.IsTrue(accepted.Load(b, 0, b.Length, new JsonReader(null), settings) == SettingsError.None, accepted.DescribeError());
        DeviceBoard board = TestBoard.Of(new ScriptedMqttSession(), new ScriptedHttpClient(new byte[0]), new MemoryStorage(),
            new CountingReboot(), new ManualClock(), new RecordingLog(), 1);
        CotaDevice device = new CotaDevice(board, settings);
        device.Start();
        Assert.AreEqual(-1, device.State.CopyActiveConfigId(new byte[64], 0));
    }

    // The "id" member of a request, quoted as it is sent.
    [TestMethod]
    public void ALostNetworkEndsTheConnectionAtOnceAndItsReturnConnectsAnew()
    {
        var session = new ScriptedMqttSession();
        var clock = new ManualClock(1000, 1700000000000);
        var radio = new SimulatedRadio();
        DeviceBoard board = TestBoard.Of(session, new ScriptedHttpClient(new byte[0]), new MemoryStorage(), new CountingReboot(), clock, new RecordingLog(), 3);
        board.Radio = radio;
        DeviceSettings settings = TestBoard.Settings(new DeviceIdentity("pk1", "dn1", TestDevice.Secret, null));
        settings.DefaultWifiSsid = "plant";
        settings.DefaultWifiPassword = "password";
        var device = new CotaDevice(board, settings);
        for (int i = 0; i < 200 && !device.IsConnected; i++)
        {
            device.Step();
            clock.Advance(50);
        }

        Assert.IsTrue(device.IsConnected);
        Assert.AreEqual(1, session.Connects);

        // The access point goes: the session's socket would linger until a ping went unanswered.
        radio.DropLink();
        session.ConnectResult = MqttStatus.ChannelFailed;
        device.Step();
        Assert.IsFalse(device.IsConnected, "ended with the network");
        Assert.AreEqual(1, session.Disconnects);

        session.ConnectResult = MqttStatus.Ok;
        for (int i = 0; i < 2000 && !device.IsConnected; i++)
        {
            device.Step();
            clock.Advance(50);
        }

        Assert.IsTrue(device.IsConnected, "connected anew when the network is back");
        Assert.IsTrue(radio.Connects >= 2);
    }

    [TestMethod]
    public void TelemetryIsPostedAtConnectThenEveryIntervalTheConfigSets()
    {
        byte[] file = Ascii.Bytes("{\"telemetry\":{\"intervalSeconds\":30}}");
        var session = new ScriptedMqttSession();
        var clock = new ManualClock(1000, 1700000000000);
        DeviceBoard board = TestBoard.Of(session, new ScriptedHttpClient(file), new MemoryStorage(), new CountingReboot(), clock, new RecordingLog(), 4);
        board.Telemetry = new TemperatureParams();
        var device = new CotaDevice(board, TestBoard.Settings(new DeviceIdentity("pk1", "dn1", TestDevice.Secret, null)));
        device.Step();
        Assert.AreEqual(1, CountOn(session, "thing/event/property/post"), "at connect");
        Assert.IsTrue(LastOn(session, "thing/event/property/post").IndexOf("\"params\":{\"Temperature\":25}") > 0);

        // The get's answer sets 30 s (the board's default is 60): posts at 0, 30, 60 and 90 s.
        int answered = 0;
        for (int i = 0; i < 95 * 20; i++)
        {
            clock.Advance(50);
            device.Step();
            if (CountOn(session, "thing/config/get") > answered)
            {
                answered++;
                session.Enqueue(Prefix + "thing/config/get_reply", CotaRig.GetReplyOf(IdOf(LastOn(session, "thing/config/get")), CotaRig.Fields("cfg-1", file)));
            }
        }

        Assert.AreEqual(30, device.State.TelemetryIntervalSeconds);
        Assert.AreEqual(4, CountOn(session, "thing/event/property/post"));
    }

    private static string IdOf(string request)
    {
        int start = request.IndexOf("\"id\":") + 5;
        return request.Substring(start, request.IndexOf(',', start) - start);
    }

    // A device on the doubles, its server holding file, with no start jitter and no idle wait.
    private static CotaDevice NewDevice(ScriptedMqttSession session, ManualClock clock, byte[] file, int seed) =>
        new CotaDevice(TestBoard.Of(session, new ScriptedHttpClient(file), new MemoryStorage(), new CountingReboot(), clock, new RecordingLog(), seed),
            TestBoard.Settings(new DeviceIdentity("pk1", "dn1", TestDevice.Secret, null)));

    private static int CountOn(ScriptedMqttSession session, string suffix)
    {
        int n = 0;
        for (int i = 0; i < session.PublishedTopics.Count; i++)
        {
            if ((string)session.PublishedTopics[i] == Prefix + suffix)
            {
                n++;
            }
        }

        return n;
    }

    private static string LastOn(ScriptedMqttSession session, string suffix)
    {
        for (int i = session.PublishedTopics.Count - 1; i >= 0; i--)
        {
            if ((string)session.PublishedTopics[i] == Prefix + suffix)
            {
                return (string)session.PublishedPayloads[i];
            }
        }

        return null;
    }
}
