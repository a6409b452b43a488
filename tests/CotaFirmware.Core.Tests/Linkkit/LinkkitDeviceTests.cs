using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;

namespace CotaFirmware.Tests.Linkkit;

[TestClass]
public class LinkkitDeviceTests
{
    private const string Prefix = "/sys/pk1/dn1/";

    [TestMethod]
    public void OpenRefusesABadIdentityWithoutShowingSecrets()
    {
        Exception caught = null;
        try
        {
            LinkkitDevice.Open(new DeviceIdentity("pk 1", "dn1", "topSecretValue", null), new LinkkitSettings(),
                new ScriptedMqttSession(), new RecordingMac(), new ManualClock(1000, 1700000000000), new RecordingLog(), 1);
        }
        catch (ArgumentException e)
        {
            caught = e;
        }

        Assert.IsNotNull(caught);
        Assert.IsTrue(caught.Message.IndexOf("bad product key") >= 0);
        Assert.IsTrue(caught.Message.IndexOf("topSecretValue") < 0);
        Expect.Throws(typeof(ArgumentException), () => new TestDevice(new LinkkitSettings { KeepAliveSeconds = 10 }));
        Expect.Throws(typeof(ArgumentNullException), () => LinkkitDevice.Open(new DeviceIdentity("pk1", "dn1", "s", null),
            new LinkkitSettings(), null, new RecordingMac(), new ManualClock(1000, 1700000000000), new RecordingLog(), 1));
        Expect.Throws(typeof(ArgumentNullException), () => LinkkitDevice.Open(new DeviceIdentity("pk1", "dn1", "s", null),
            new LinkkitSettings(), new ScriptedMqttSession(), new RecordingMac(), new ManualClock(1000, 1700000000000), null, 1));
    }

    [TestMethod]
    public void ConnectSignsConnectsSubscribesThenNotifies()
    {
        var t = new TestDevice(null);
        var counter = new ConnectionCounter();
        t.Device.Connected += counter.OnConnected;
        var handler = new RecordingTopicHandler();
        Assert.AreEqual(1, t.Device.Route("thing/config/push", handler));

        Expect.Status(LinkkitStatus.Ok, t.Device.Connect());

        Assert.IsTrue(t.Device.IsConnected);
        Assert.AreEqual(1, counter.Connects);
        Assert.AreEqual("pk1.iot-as-mqtt.cn-shanghai.aliyuncs.com", t.Session.Host);
        Assert.AreEqual(1883, t.Session.Port);
        Assert.IsTrue(t.Session.Tls);
        Assert.AreEqual("pk1.dn1|securemode=2,signmethod=hmacsha256,timestamp=1700000000000|", t.Session.ClientId);
        Assert.AreEqual("dn1&pk1", t.Session.Username);
        Assert.AreEqual(64, t.Session.Password.Length);
        Assert.AreEqual(TestDevice.Secret, t.Mac.LastKey);
        Assert.AreEqual(300, t.Session.KeepAlive);
        Assert.AreEqual(2, t.Session.Subscriptions.Count);
        Assert.AreEqual(Prefix + "thing/event/property/post_reply", (string)t.Session.Subscriptions[0]);
        Assert.AreEqual(Prefix + "thing/config/push", (string)t.Session.Subscriptions[1]);
        Assert.IsFalse(t.Log.Contains(TestDevice.Secret));
        Assert.IsFalse(t.Log.Contains(t.Session.Password));

        Expect.Status(LinkkitStatus.Ok, t.Device.Connect());
        Assert.AreEqual(1, t.Session.Connects);
    }

    [TestMethod]
    public void AnInvalidWallClockSignsWithTheSdksFixedTimestampAndAClientIdThatIsNotFixed()
    {
        var t = new TestDevice(null);
        t.Clock.UnixTimeMs = 0;
        t.Device.Connect();

        // pk1.dn1_ and 8 hex digits of an HMAC keyed with the device secret over the uptime of the attempt.
        string id = t.Session.ClientId;
        Assert.AreEqual("|securemode=2,signmethod=hmacsha256,timestamp=2524608000000|", id.Substring(16));
        Assert.AreEqual("pk1.dn1_", id.Substring(0, 8));
        Assert.IsTrue(LinkkitSettings.IsClientId(id.Substring(0, 16)));
        Assert.AreEqual("clientId" + id.Substring(0, 16) + "deviceNamedn1productKeypk1timestamp2524608000000", t.Mac.LastMessage,
            "the password signs the client id sent");
        Assert.AreEqual(TestDevice.Secret, t.Mac.LastKey);
    }

    [TestMethod]
    public void AClientIdSetInTheSettingsIsKeptWithoutAClock()
    {
        var t = new TestDevice(new LinkkitSettings { ClientId = "AA-BB-CC-DD-EE-FF" });
        t.Clock.UnixTimeMs = 0;
        t.Device.Connect();
        Assert.AreEqual("AA-BB-CC-DD-EE-FF|securemode=2,signmethod=hmacsha256,timestamp=2524608000000|", t.Session.ClientId);
    }

    [TestMethod]
    public void ADeviceTakenOverRepeatedlySaysSoAndBacksOffInsteadOfFightingForTheSession()
    {
        var t = new TestDevice(new LinkkitSettings { BackoffMinMs = 1000, BackoffMaxMs = 60000 });
        t.Device.Connect();

        // Another board with the same identity logs in a few seconds after each connection: the platform closes ours.
        long first = LoseAndReconnect(t, 2000, MqttStatus.ChannelFailed);
        long second = LoseAndReconnect(t, 2000, MqttStatus.ChannelFailed);
        Assert.IsFalse(t.Log.Contains("another device"));
        long third = LoseAndReconnect(t, 2000, MqttStatus.ChannelFailed);

        Assert.IsTrue(first <= 1010 && second <= 1010, "the first two losses are retried soon: " + first + ", " + second);
        Assert.IsTrue(third >= 30000, "the third waits at least half the longest bound: " + third);
        Assert.IsTrue(t.Log.Contains("another device is using the identity pk1.dn1"));

        // A connection that lasts, then a loss: retried soon again.
        Assert.IsTrue(LoseAndReconnect(t, 120000, MqttStatus.ChannelFailed) <= 1010, "a lasting connection ends the take-over episode");
    }

    [TestMethod]
    public void ShortLivedConnectionsLostToTimeoutsAreNotATakeOver()
    {
        var t = new TestDevice(new LinkkitSettings { BackoffMinMs = 1000, BackoffMaxMs = 60000 });
        t.Device.Connect();
        for (int i = 0; i < 4; i++)
        {
            Assert.IsTrue(LoseAndReconnect(t, 2000, MqttStatus.PingTimeout) <= 1010, "loss " + i + " retried soon");
        }

        Assert.IsFalse(t.Log.Contains("another device"));
    }

    [TestMethod]
    public void ConnectionsThatDieAtOnceAfterEachConnackBackOffFurtherInsteadOfRetryingEverySecond()
    {
        // The broker accepts each CONNECT and the session breaks 50 ms later (here on a packet the client refuses, as a
        // broker or proxy that sends something this client cannot read would): every loss resets the backoff to its first
        // bound, because the CONNACK before it counted as success, so the device reconnects (TLS handshake, CONNECT,
        // subscribes) about once a second for ever.
        var t = new TestDevice(new LinkkitSettings { BackoffMinMs = 1000, BackoffMaxMs = 60000 });
        t.Device.Connect();
        long last = 0;
        for (int i = 0; i < 10; i++)
        {
            last = LoseAndReconnect(t, 50, MqttStatus.ProtocolViolation);
        }

        Assert.IsTrue(last > 4000, "the tenth connection in a row that died at once was retried after " + last + " ms");
    }

    [TestMethod]
    public void APlatformRestartedRepeatedlyIsNotATakeOver()
    {
        var t = new TestDevice(new LinkkitSettings { BackoffMinMs = 1000, BackoffMaxMs = 60000 });
        t.Device.Connect();
        for (int i = 0; i < 4; i++)
        {
            // The platform goes away a few seconds after each connect: the first attempt after the loss is refused.
            t.Clock.Advance(2000);
            t.Session.ConnectResult = MqttStatus.ChannelFailed;
            t.Session.Drop(MqttStatus.ChannelFailed);
            int connects = t.Session.Connects;
            long lost = t.Clock.MonotonicMs;
            while (t.Session.Connects == connects && t.Clock.MonotonicMs - lost <= 60010)
            {
                t.Clock.Advance(10);
                t.Device.Yield(0);
            }

            t.Session.ConnectResult = MqttStatus.Ok;
            while (!t.Device.IsConnected && t.Clock.MonotonicMs - lost <= 60010)
            {
                t.Clock.Advance(10);
                t.Device.Yield(0);
            }

            Assert.IsTrue(t.Clock.MonotonicMs - lost <= 3010, "restart " + i + " reconnected after the usual backoff: " + (t.Clock.MonotonicMs - lost));
        }

        Assert.IsFalse(t.Log.Contains("another device"), t.Log.ToString());
    }

    [TestMethod]
    public void RefusedConnectOrSubscribeIsANamedFailureWithoutNotification()
    {
        var t = new TestDevice(null);
        var counter = new ConnectionCounter();
        t.Device.Connected += counter.OnConnected;
        t.Session.ConnectResult = MqttStatus.RefusedBadCredentials;
        Expect.Status(LinkkitStatus.ConnectFailed, t.Device.Connect());
        Assert.IsFalse(t.Device.IsConnected);
        Assert.IsTrue(t.Log.Contains("refused: bad user name or password"));

        t.Session.ConnectResult = MqttStatus.Ok;
        t.Session.SubscribeResult = MqttStatus.ChannelFailed;
        Expect.Status(LinkkitStatus.SubscribeFailed, t.Device.Connect());
        Assert.IsFalse(t.Device.IsConnected);
        Assert.AreEqual(1, t.Session.Disconnects);
        Assert.AreEqual(0, counter.Connects);
    }

    [TestMethod]
    public void ReportPostsPropertiesWithIncreasingIds()
    {
        var t = TestDevice.Connected();
        var p = new TemperatureParams();

        Assert.AreEqual(1, t.Device.Report(p, null));
        Assert.AreEqual(Prefix + "thing/event/property/post", t.Session.LastTopic);
        Assert.AreEqual("{\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"Temperature\":25},\"method\":\"thing.event.property.post\"}", t.Session.LastPayload);

        p.Value = -3;
        Assert.AreEqual(2, t.Device.Report(p, null));
        Assert.AreEqual("{\"id\":\"2\",\"version\":\"1.0\",\"params\":{\"Temperature\":-3},\"method\":\"thing.event.property.post\"}", t.Session.LastPayload);
        Assert.AreEqual(0, t.Device.WaitingRequests);
    }

    [TestMethod]
    public void TriggerEventPostsOnTheEventsTopicWithItsMethod()
    {
        var t = new TestDevice(null);
        int error = t.Device.DefineEvent("Error");
        Assert.IsTrue(error >= 0);
        t.Device.Connect();
        Assert.IsTrue(t.Session.Subscriptions.Contains(Prefix + "thing/event/Error/post_reply"));

        Assert.AreEqual(1, t.Device.Report(null, null));
        Assert.AreEqual(2, t.Device.TriggerEvent(error, new TemperatureParams(), null));
        Assert.AreEqual(Prefix + "thing/event/Error/post", t.Session.LastTopic);
        Assert.AreEqual("{\"id\":\"2\",\"version\":\"1.0\",\"params\":{\"Temperature\":25},\"method\":\"thing.event.Error.post\"}", t.Session.LastPayload);
        Expect.Status(LinkkitStatus.BadTopic, t.Device.DefineEvent("bad/id"));
        Expect.Status(LinkkitStatus.BadTopic, t.Device.DefineEvent(""));
    }

    [TestMethod]
    public void QueryWithoutParamsSendsAnEmptyParamsObject()
    {
        var t = new TestDevice(null);
        int get = t.Device.DefineRequest("thing/config/get", "thing.config.get");
        t.Device.Connect();
        Assert.AreEqual(1, t.Device.Query(get, null, null, 0));
        Assert.AreEqual(Prefix + "thing/config/get", t.Session.LastTopic);
        Assert.AreEqual("{\"id\":\"1\",\"version\":\"1.0\",\"params\":{},\"method\":\"thing.config.get\"}", t.Session.LastPayload);
    }

    [TestMethod]
    public void RepliesReachTheRequestThatWaitsForThemByIdInAnyOrder()
    {
        var t = new TestDevice(null);
        int get = t.Device.DefineRequest("thing/config/get", "thing.config.get");
        t.Device.Connect();
        var first = new RecordingReplyHandler();
        var second = new RecordingReplyHandler();
        Assert.AreEqual(1, t.Device.Query(get, null, first, 0));
        Assert.AreEqual(2, t.Device.Query(get, null, second, 0));
        Assert.AreEqual(2, t.Device.WaitingRequests);

        string reply2 = "{\"id\":\"2\",\"version\":\"1.0\",\"code\":6710,\"data\":{},\"message\":\"no data\"}";
        t.Session.Enqueue(Prefix + "thing/config/get_reply", reply2);
        t.Device.Yield(10);
        Assert.AreEqual(0, first.Calls);
        Assert.AreEqual(1, second.Calls);
        Assert.AreEqual(2, second.Id);
        Assert.IsTrue(second.Status == ReplyStatus.Replied);
        Assert.AreEqual(6710, second.Code);
        Assert.AreEqual("{}", second.Data, "the envelope was read here: only data goes up");
        Assert.AreEqual(reply2.Length, second.Size);

        // A numeric id matches too; a repeated reply finds no request any more.
        t.Session.Enqueue(Prefix + "thing/config/get_reply", " {\"code\":200,\"data\":{\"configId\":\"c1\"},\"id\":1} ");
        t.Session.Enqueue(Prefix + "thing/config/get_reply", "{\"id\":\"1\",\"code\":200}");
        t.Device.Yield(10);
        Assert.AreEqual(1, first.Calls);
        Assert.AreEqual(200, first.Code);
        Assert.AreEqual("{\"configId\":\"c1\"}", first.Data);
        Assert.AreEqual(0, t.Device.WaitingRequests);
    }

    [TestMethod]
    public void ARepliesIdOnAnotherRequestTopicOrUnknownIsNotDelivered()
    {
        var t = new TestDevice(null);
        int get = t.Device.DefineRequest("thing/config/get", "thing.config.get");
        t.Device.Connect();
        var h = new RecordingReplyHandler();
        Assert.AreEqual(1, t.Device.Query(get, null, h, 0));

        t.Session.Enqueue(Prefix + "thing/event/property/post_reply", "{\"id\":\"1\",\"code\":200}");
        t.Session.Enqueue(Prefix + "thing/config/get_reply", "{\"id\":\"7\",\"code\":200}");
        t.Session.Enqueue("/sys/pk1/dn2/thing/config/get_reply", "{\"id\":\"1\",\"code\":200}");
        t.Device.Yield(10);
        Assert.AreEqual(0, h.Calls);
        Assert.AreEqual(1, t.Device.WaitingRequests);
    }

    [TestMethod]
    public void RepliesNoRequestWaitsForGoToTheUnmatchedHandler()
    {
        var t = new TestDevice(null);
        var late = new RecordingReplyHandler();
        int get = ConnectWithGet(t, late);
        var h = new RecordingReplyHandler();
        t.Device.Query(get, null, h, 100);
        t.Clock.Advance(100);
        t.Device.Yield(1);
        Assert.IsTrue(h.Status == ReplyStatus.TimedOut);

        t.Session.Enqueue(Prefix + "thing/config/get_reply", "{\"id\":\"1\",\"code\":200,\"data\":{\"configId\":\"c9\"}}");
        t.Device.Yield(1);
        Assert.AreEqual(1, h.Calls);
        Assert.AreEqual(1, late.Calls);
        Assert.IsTrue(late.Status == ReplyStatus.Replied);
        Assert.AreEqual(1, late.Id, "the reply's own id");
        Assert.AreEqual(200, late.Code);
        Assert.AreEqual("{\"configId\":\"c9\"}", late.Data);

        // A waiting request still takes its own reply.
        t.Device.Query(get, null, h, 0);
        t.Session.Enqueue(Prefix + "thing/config/get_reply", "{\"id\":\"2\",\"code\":200}");
        t.Device.Yield(1);
        Assert.AreEqual(2, h.Calls);
        Assert.AreEqual(1, late.Calls);
    }

    [TestMethod]
    public void AReplyWithoutCodeGivesMinusOne()
    {
        var t = TestDevice.Connected();
        var h = new RecordingReplyHandler();
        t.Device.Report(null, h);
        t.Session.Enqueue(Prefix + "thing/event/property/post_reply", "{\"id\":\"1\",\"data\":{}}");
        t.Device.Yield(10);
        Assert.AreEqual(1, h.Calls);
        Assert.AreEqual(-1, h.Code);
    }

    [TestMethod]
    public void EveryCutOfAReplyIsIgnoredWithoutHarmAndOnlyTheWholeOneIsDelivered()
    {
        var t = TestDevice.Connected();
        var h = new RecordingReplyHandler();
        t.Device.Report(null, h);
        string reply = "{\"id\":\"1\",\"code\":200,\"data\":{\"a\":[1,2.5e3,\"x\\u00e9\"],\"b\":null},\"message\":\"ok\"}";
        for (int n = 0; n < reply.Length; n++)
        {
            t.Session.Deliver(Prefix + "thing/event/property/post_reply", Ascii.Bytes(reply.Substring(0, n)));
        }

        t.Session.Deliver(Prefix + "thing/event/property/post_reply", Ascii.Bytes(reply + "x"));
        t.Session.Deliver(Prefix + "thing/event/property/post_reply", Ascii.Bytes("{\"id\":\"1\",\"code\":200,}"));
        t.Session.Deliver(Prefix + "thing/event/property/post_reply", Ascii.Bytes("{\"id\":\"1x\",\"code\":200}"));
        t.Session.Deliver(Prefix + "thing/event/property/post_reply", Ascii.Bytes("{\"id\":1.0,\"code\":200}"));
        Assert.AreEqual(0, h.Calls);
        Assert.IsTrue(t.Log.Contains("not valid JSON"));

        t.Session.Deliver(Prefix + "thing/event/property/post_reply", Ascii.Bytes(reply));
        Assert.AreEqual(1, h.Calls);
        Assert.AreEqual(200, h.Code);
    }

    [TestMethod]
    public void ARequestWithoutReplyTimesOutAtItsDeadline()
    {
        var t = TestDevice.Connected();
        var h = new RecordingReplyHandler();
        int id = t.Device.Query(t.Device.PropertyPostTopic, null, h, 5000);

        t.Clock.Advance(4999);
        t.Device.Yield(10);
        Assert.AreEqual(0, h.Calls);

        t.Clock.Advance(1);
        t.Device.Yield(10);
        Assert.AreEqual(1, h.Calls);
        Assert.AreEqual(id, h.Id);
        Assert.IsTrue(h.Status == ReplyStatus.TimedOut);
        Assert.AreEqual(0, t.Device.WaitingRequests);

        // A late reply finds nobody waiting.
        t.Session.Enqueue(Prefix + "thing/event/property/post_reply", "{\"id\":\"1\",\"code\":200}");
        t.Device.Yield(10);
        Assert.AreEqual(1, h.Calls);
    }

    [TestMethod]
    public void TheOptionsTimeoutAppliesWhenTheRequestGivesNone()
    {
        var t = new TestDevice(new LinkkitSettings { RequestTimeoutMs = 300 });
        t.Device.Connect();
        var h = new RecordingReplyHandler();
        t.Device.Report(null, h);
        t.Clock.Advance(299);
        t.Device.Yield(1);
        Assert.AreEqual(0, h.Calls);
        t.Clock.Advance(1);
        t.Device.Yield(1);
        Assert.IsTrue(h.Status == ReplyStatus.TimedOut);
    }

    [TestMethod]
    public void ThePendingTableIsBoundedAndFreedByReplies()
    {
        var t = new TestDevice(new LinkkitSettings { MaxPendingRequests = 2 });
        t.Device.Connect();
        var h = new RecordingReplyHandler();
        Assert.AreEqual(1, t.Device.Report(null, h));
        Assert.AreEqual(2, t.Device.Report(null, h));
        Expect.Status(LinkkitStatus.TooManyPending, t.Device.Report(null, h));
        Assert.AreEqual(2, t.Session.PublishedPayloads.Count);

        // Without a reply handler nothing waits, so it is still sent.
        Assert.AreEqual(3, t.Device.Report(null, null));

        t.Session.Enqueue(Prefix + "thing/event/property/post_reply", "{\"id\":\"1\",\"code\":200}");
        t.Device.Yield(1);
        Assert.AreEqual(4, t.Device.Report(null, h));
    }

    [TestMethod]
    public void APayloadThatDoesNotFitIsRefusedAndHoldsNoSlot()
    {
        var t = new TestDevice(new LinkkitSettings { TxBufferSize = 128 });
        t.Device.Connect();
        var big = new TemperatureParams { Filler = 10 };
        Expect.Status(LinkkitStatus.PayloadTooLarge, t.Device.Report(big, new RecordingReplyHandler()));
        Assert.AreEqual(0, t.Session.PublishedPayloads.Count);
        Assert.AreEqual(0, t.Device.WaitingRequests);
        Assert.IsTrue(t.Device.Report(new TemperatureParams(), null) > 0);
    }

    [TestMethod]
    public void AFailedPublishReleasesItsSlot()
    {
        var t = TestDevice.Connected();
        t.Session.PublishResult = MqttStatus.NotConnected;
        Expect.Status(LinkkitStatus.PublishFailed, t.Device.Report(null, new RecordingReplyHandler()));
        Assert.AreEqual(0, t.Device.WaitingRequests);
    }

    [TestMethod]
    public void RequestsNeedAConnection()
    {
        var t = new TestDevice(null);
        Expect.Status(LinkkitStatus.NotConnected, t.Device.Report(null, null));
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => t.Device.Query(99, null, null, 0));
    }

    [TestMethod]
    public void ALostConnectionEndsPendingRequestsAndNotifies()
    {
        var t = TestDevice.Connected();
        var counter = new ConnectionCounter();
        t.Device.Disconnected += counter.OnDisconnected;
        var h = new RecordingReplyHandler();
        t.Device.Report(null, h);

        t.Session.Drop();

        Assert.IsFalse(t.Device.IsConnected);
        Assert.AreEqual(1, counter.Disconnects);
        Assert.AreEqual(1, h.Calls);
        Assert.IsTrue(h.Status == ReplyStatus.Disconnected);
        Expect.Status(LinkkitStatus.NotConnected, t.Device.Report(null, null));

        // Connecting again resubscribes and ids keep increasing.
        Expect.Status(LinkkitStatus.Ok, t.Device.Connect());
        Assert.AreEqual(2, t.Session.Connects);
        Assert.AreEqual(2, t.Device.Report(null, null));
    }

    [TestMethod]
    public void ALostConnectionIsRetriedAfterAJitteredWaitSignedAnewAndResubscribed()
    {
        var t = new TestDevice(new LinkkitSettings { BackoffMinMs = 1000, BackoffMaxMs = 3000 });
        t.Device.Route("thing/config/push", new RecordingTopicHandler());
        t.Device.Connect();
        var counter = new ConnectionCounter();
        t.Device.Connected += counter.OnConnected;
        int signatures = t.Mac.Calls;
        t.Session.Drop();
        Assert.IsTrue(t.Log.Contains("connection lost: no PINGRESP in time"));
        t.Session.ConnectResult = MqttStatus.ChannelFailed;

        // Each wait is drawn from the upper half of a bound that doubles from 1000 ms up to 3000 ms.
        long lost = t.Clock.MonotonicMs;
        int[] bounds = { 1000, 2000, 3000, 3000 };
        for (int i = 0; i < bounds.Length; i++)
        {
            long since = t.Clock.MonotonicMs;
            int connects = t.Session.Connects;
            while (t.Session.Connects == connects && t.Clock.MonotonicMs - since <= bounds[i])
            {
                t.Clock.Advance(10);
                t.Device.Yield(0);
            }

            long waited = t.Clock.MonotonicMs - since;
            Assert.AreEqual(connects + 1, t.Session.Connects, "attempt " + i + " came within its bound");
            Assert.IsTrue(waited >= bounds[i] / 2 && waited <= bounds[i] + 10, "attempt " + i + " after " + waited + " ms");
        }

        t.Session.ConnectResult = MqttStatus.Ok;
        t.Session.Subscriptions.Clear();
        t.Clock.UnixTimeMs += 9000;
        long unix = t.Clock.UnixTimeMs;
        while (!t.Device.IsConnected && t.Clock.MonotonicMs - lost < 60000)
        {
            t.Clock.Advance(10);
            t.Device.Yield(0);
        }

        Assert.IsTrue(t.Device.IsConnected);
        Assert.AreEqual(1, counter.Connects);
        Assert.AreEqual(2, t.Session.Subscriptions.Count, "every topic subscribed again");
        Assert.IsTrue(t.Session.ClientId.IndexOf("timestamp=" + unix) > 0, "signed with the time of the attempt");
        Assert.IsTrue(t.Mac.LastMessage.EndsWith("timestamp" + unix), "the password signs that time");
        Assert.AreEqual(signatures + t.Session.Connects - 1, t.Mac.Calls, "one signature per attempt");

        // Connected again: no further attempts.
        int total = t.Session.Connects;
        t.Clock.Advance(100000);
        t.Device.Yield(1);
        Assert.AreEqual(total, t.Session.Connects);
    }

    [TestMethod]
    public void AFailedFirstConnectIsRetriedByTheSameBackoff()
    {
        var t = new TestDevice(new LinkkitSettings { BackoffMinMs = 500, BackoffMaxMs = 4000 });
        t.Session.ConnectResult = MqttStatus.ChannelFailed;
        Expect.Status(LinkkitStatus.ConnectFailed, t.Device.Connect());
        Assert.IsTrue(t.Log.Contains("connect to pk1.iot-as-mqtt.cn-shanghai.aliyuncs.com:1883 failed: channel failed"));
        for (int i = 0; i < 300; i++)
        {
            t.Clock.Advance(10);
            t.Clock.UnixTimeMs += 10;
            t.Device.Yield(0);
        }

        // 3 s: attempts at 0 and after waits bounded by 500, 1000 and 2000 ms (at least 250 + 500 + 1000 ms apart).
        Assert.IsTrue(t.Session.Connects >= 3 && t.Session.Connects <= 4, "attempts: " + t.Session.Connects);
        for (int i = 1; i < t.Session.ConnectTimes.Count; i++)
        {
            long gap = (long)t.Session.ConnectTimes[i] - (long)t.Session.ConnectTimes[i - 1];
            int bound = 500 << (i - 1);
            Assert.IsTrue(gap >= bound / 2 && gap <= bound + 10, "gap " + i + ": " + gap);
        }

        t.Session.ConnectResult = MqttStatus.Ok;
        for (int i = 0; i < 500 && !t.Device.IsConnected; i++)
        {
            t.Clock.Advance(10);
            t.Device.Yield(0);
        }

        Assert.IsTrue(t.Device.IsConnected, "connected without a second Connect call");
    }

    [TestMethod]
    public void FleetDevicesSeededApartDoNotRetryInStep()
    {
        int same = 0;
        for (int seed = 1; seed <= 20; seed++)
        {
            long a = FirstRetryDelay(seed);
            long b = FirstRetryDelay(seed + 100);
            Assert.IsTrue(a >= 500 && a <= 1010 && b >= 500 && b <= 1010);
            same += a == b ? 1 : 0;
        }

        Assert.IsTrue(same < 5, "delays drawn per device: " + same + " of 20 pairs equal");
    }

    [TestMethod]
    public void ConnectWhileWaitingToRetryTriesAtOnce()
    {
        var t = new TestDevice(null);
        t.Session.ConnectResult = MqttStatus.ChannelFailed;
        t.Device.Connect();
        t.Session.ConnectResult = MqttStatus.Ok;
        Expect.Status(LinkkitStatus.Ok, t.Device.Connect(), "the network came back: no need to wait");
        Assert.AreEqual(2, t.Session.Connects);
    }

    [TestMethod]
    public void TheBoardsEndpointIsReadBeforeEveryAttempt()
    {
        var t = new TestDevice(new LinkkitSettings { MqttDomain = "127.0.0.1", Port = 1000 });
        var endpoint = new MovingEndpoint();
        t.Device.BrokerEndpoint = endpoint;
        endpoint.Port = 2001;
        t.Session.ConnectResult = MqttStatus.ChannelFailed;
        t.Device.Connect();
        Assert.AreEqual("::1", t.Session.Host);
        Assert.AreEqual(2001, t.Session.Port);

        endpoint.Port = 2002;
        t.Session.ConnectResult = MqttStatus.Ok;
        while (!t.Device.IsConnected)
        {
            t.Clock.Advance(100);
            t.Device.Yield(0);
        }

        Assert.AreEqual(2002, t.Session.Port, "the new endpoint, not the first one read");
        Assert.AreEqual(2, endpoint.Reads);
        t.Session.Drop();
        endpoint.Available = false;
        while (t.Session.Connects < 3)
        {
            t.Clock.Advance(100);
            t.Device.Yield(0);
        }

        Assert.AreEqual("127.0.0.1", t.Session.Host, "nothing to read: the settings' endpoint");
        Assert.AreEqual(1000, t.Session.Port);
    }

    [TestMethod]
    public void AfterCloseNoAttemptIsMade()
    {
        var u = TestDevice.Connected();
        u.Session.Drop();
        u.Device.Close();
        u.Clock.Advance(1000000);
        u.Device.Yield(1);
        Assert.AreEqual(1, u.Session.Connects);

        var v = new TestDevice(null);
        v.Clock.Advance(1000000);
        v.Device.Yield(1);
        Assert.AreEqual(0, v.Session.Connects, "no attempt before the first Connect");
    }

    [TestMethod]
    public void AMessageTooLargeForTheBufferReachesItsRouteAsANoticeWithItsPrefix()
    {
        var t = new TestDevice(null);
        var handler = new RecordingTopicHandler();
        int push = t.Device.Route("thing/config/push", handler);
        t.Device.Connect();
        t.Session.DeliverOversize(Prefix + "thing/config/push", 5000, "{\"id\":\"42\",\"params\":{\"url\":\"https://");
        Assert.AreEqual(1, handler.Oversized);
        Assert.AreEqual(0, handler.Calls);
        Assert.AreEqual(push, handler.Topic);
        Assert.AreEqual(5000, handler.OversizeSize);
        Assert.AreEqual("{\"id\":\"42\",\"params\":{\"url\":\"https://", handler.OversizePrefix);
        Assert.IsTrue(t.Log.Contains("5000 bytes on " + Prefix + "thing/config/push"));

        t.Session.DeliverOversize("/sys/pk1/dn2/thing/config/push", 5000, "{}");
        Assert.AreEqual(1, handler.Oversized, "not our topic: logged only");
    }

    [TestMethod]
    public void AReplyTooLargeForTheBufferEndsItsRequestAsTooLarge()
    {
        var t = new TestDevice(null);
        var unmatched = new RecordingReplyHandler();
        int get = ConnectWithGet(t, unmatched);
        var first = new RecordingReplyHandler();
        var second = new RecordingReplyHandler();
        Assert.AreEqual(1, t.Device.Query(get, null, first, 0));
        Assert.AreEqual(2, t.Device.Query(get, null, second, 0));
        t.Session.DeliverOversize(Prefix + "thing/config/get_reply", 9000, "{\"id\":\"2\",\"code\":200,\"data\":{\"url\":\"https://x");
        Assert.AreEqual(0, first.Calls);
        Assert.AreEqual(1, second.Calls);
        Assert.IsTrue(second.Status == ReplyStatus.TooLarge);
        Assert.AreEqual(-1, second.Code);
        Assert.AreEqual(9000, second.Size);
        Assert.AreEqual("{\"url\":\"https://x", second.Data, "the part of data that fit");
        Assert.AreEqual(1, t.Device.WaitingRequests);

        t.Session.DeliverOversize(Prefix + "thing/config/get_reply", 9000, "{\"code\":200,\"da");
        Assert.AreEqual(0, first.Calls, "no readable id: not this request's");
        Assert.AreEqual(1, unmatched.Calls, "it goes to the unmatched-reply handler instead");
        Assert.IsTrue(unmatched.Status == ReplyStatus.TooLarge);
        Assert.AreEqual(0, unmatched.Id);
        Assert.AreEqual(9000, unmatched.Size);
        Assert.AreEqual("", unmatched.Data, "data did not begin in the part that fit");

        t.Session.DeliverOversize(Prefix + "thing/config/get_reply", 9000, "{\"code\":200,\"data\":{\"url\":\"https://x\"},\"id\":1");
        Assert.AreEqual(0, first.Calls, "a number id running to the end of the part that fit may be cut short (1 of 12)");
        Assert.AreEqual(2, unmatched.Calls);
        Assert.AreEqual(0, unmatched.Id);
    }

    [TestMethod]
    public void AReplyThatIsNoValidEnvelopeGoesToTheUnmatchedHandlerAsMalformed()
    {
        var t = new TestDevice(null);
        var unmatched = new RecordingReplyHandler();
        int get = ConnectWithGet(t, unmatched);
        var h = new RecordingReplyHandler();
        t.Device.Query(get, null, h, 0);

        t.Session.Enqueue(Prefix + "thing/config/get_reply", "{\"id\":\"1\",\"code\":200,\"data\":{\"configId\":\"c5\",\"url\":tru");
        t.Device.Yield(1);
        Assert.AreEqual(0, h.Calls, "without a whole envelope no request is matched");
        Assert.AreEqual(1, unmatched.Calls);
        Assert.IsTrue(unmatched.Status == ReplyStatus.Malformed);
        Assert.AreEqual("{\"configId\":\"c5\",\"url\":tru", unmatched.Data, "what arrived of data, to name the config");
        Assert.IsTrue(t.Log.Contains("reply is not valid JSON with an integer id"));

        t.Session.Enqueue(Prefix + "thing/config/get_reply", "{\"code\":200,\"data\":\"x\"}");
        t.Device.Yield(1);
        Assert.AreEqual(2, unmatched.Calls);
        Assert.IsTrue(unmatched.Status == ReplyStatus.Malformed);
        Assert.AreEqual("\"x\"", unmatched.Data);
        Assert.IsTrue(t.Log.Contains("reply without id"));
        Assert.AreEqual(1, t.Device.WaitingRequests);
    }

    // Defines the get request topic, its unmatched replies to unmatched, and connects; returns the topic's handle.
    private static int ConnectWithGet(TestDevice t, RecordingReplyHandler unmatched)
    {
        int get = t.Device.DefineRequest("thing/config/get", "thing.config.get", unmatched);
        t.Device.Connect();
        return get;
    }

    // Keeps the connection up for connectedMs, loses it for reason, and yields until connected again; returns the wait.
    private static long LoseAndReconnect(TestDevice t, long connectedMs, MqttStatus reason)
    {
        t.Clock.Advance(connectedMs);
        t.Session.Drop(reason);
        long lost = t.Clock.MonotonicMs;
        while (!t.Device.IsConnected && t.Clock.MonotonicMs - lost <= 60010)
        {
            t.Clock.Advance(10);
            t.Device.Yield(0);
        }

        Assert.IsTrue(t.Device.IsConnected, "connected again");
        return t.Clock.MonotonicMs - lost;
    }

    private static long FirstRetryDelay(int seed)
    {
        var session = new ScriptedMqttSession();
        var clock = new ManualClock(1000, 1700000000000);
        session.Clock = clock;
        var device = LinkkitDevice.Open(new DeviceIdentity("pk1", "dn1", TestDevice.Secret, null), new LinkkitSettings(),
            session, new RecordingMac(), clock, new RecordingLog(), seed);
        device.Connect();
        session.Drop();
        long lost = clock.MonotonicMs;
        while (session.Connects < 2)
        {
            clock.Advance(10);
            device.Yield(0);
        }

        return clock.MonotonicMs - lost;
    }

    private sealed class MovingEndpoint : IBrokerEndpoint
    {
        public int Port;
        public int Reads;
        public bool Available = true;

        public bool TryRead(out string host, out int port)
        {
            Reads++;
            host = "::1";
            port = Port;
            return Available;
        }
    }

    [TestMethod]
    public void CloseEndsEverythingAndRefusesFurtherUse()
    {
        var t = TestDevice.Connected();
        var counter = new ConnectionCounter();
        t.Device.Disconnected += counter.OnDisconnected;
        var h = new RecordingReplyHandler();
        t.Device.Report(null, h);

        t.Device.Close();
        t.Device.Close();

        Assert.IsTrue(h.Status == ReplyStatus.Closed);
        Assert.AreEqual(1, counter.Disconnects);
        Assert.AreEqual(1, t.Session.Disconnects);
        Assert.IsFalse(t.Session.HasListener);
        Expect.Status(LinkkitStatus.Closed, t.Device.Connect());
        Expect.Status(LinkkitStatus.Closed, t.Device.Report(null, null));
    }

    [TestMethod]
    public void RoutesDeliverPayloadViewsOfTheirTopicsOnly()
    {
        var t = new TestDevice(null);
        var push = new RecordingTopicHandler();
        var any = new RecordingTopicHandler();
        int pushTopic = t.Device.Route("thing/config/push", push);
        int anyTopic = t.Device.Route("thing/+/set", any);
        t.Device.Connect();

        t.Session.Enqueue(Prefix + "thing/config/push", "{\"id\":\"9\"}");
        t.Session.Enqueue("/sys/pk1/dn11/thing/config/push", "other device");
        t.Session.Enqueue("/sys/pk1/dn1/thing/config/push/x", "longer");
        t.Session.Enqueue("/sys/pk1/dn1/", "prefix only");
        t.Session.Enqueue("/ota/device/upgrade/pk1/dn1", "not under sys");
        t.Device.Yield(1);
        Assert.AreEqual(1, push.Calls);
        Assert.AreEqual(pushTopic, push.Topic);
        Assert.AreEqual("{\"id\":\"9\"}", push.Payload);

        t.Session.Enqueue(Prefix + "thing/service/set", "a");
        t.Session.Enqueue(Prefix + "thing/a/b/set", "b");
        t.Session.Enqueue(Prefix + "thing//set", "c");
        t.Device.Yield(1);
        Assert.AreEqual(2, any.Calls);
        Assert.AreEqual(anyTopic, any.Topic);
        Assert.AreEqual("c", any.Payload);
        Assert.IsTrue(t.Session.Subscriptions.Contains(Prefix + "thing/+/set"));
    }

    [TestMethod]
    public void ARouteAddedWhileConnectedIsSubscribedAtOnce()
    {
        var t = TestDevice.Connected();
        t.Device.Route("thing/config/push", new RecordingTopicHandler());
        Assert.AreEqual(Prefix + "thing/config/push", (string)t.Session.Subscriptions[t.Session.Subscriptions.Count - 1]);
    }

    [TestMethod]
    public void BadSuffixesAndAFullTopicTableAreRefused()
    {
        var t = new TestDevice(new LinkkitSettings { MaxTopics = 3 });
        var h = new RecordingTopicHandler();
        Expect.Status(LinkkitStatus.BadTopic, t.Device.Route("", h));
        Expect.Status(LinkkitStatus.BadTopic, t.Device.Route("/thing", h));
        Expect.Status(LinkkitStatus.BadTopic, t.Device.Route("thing/", h));
        Expect.Status(LinkkitStatus.BadTopic, t.Device.Route("a//b", h));
        Expect.Status(LinkkitStatus.BadTopic, t.Device.Route("a/#", h));
        Expect.Status(LinkkitStatus.BadTopic, t.Device.Route("a+/b", h));
        Expect.Status(LinkkitStatus.BadTopic, t.Device.Route("a b", h));
        Expect.Status(LinkkitStatus.BadTopic, t.Device.DefineRequest("thing/+/get", "m"));
        Expect.Status(LinkkitStatus.BadTopic, t.Device.DefineRequest("thing/get", "a\"b"));
        Assert.AreEqual(1, t.Device.Route("a/+", h));
        Expect.Status(LinkkitStatus.BadTopic, t.Device.Route("a/+", h));
        Expect.Status(LinkkitStatus.BadTopic, t.Device.DefineRequest(LinkkitDevice.PropertyPostSuffix, LinkkitDevice.PropertyPostMethod));
        Assert.AreEqual(2, t.Device.DefineTopic("thing/config/push_reply"));
        Expect.Status(LinkkitStatus.TooManyTopics, t.Device.DefineTopic("x"));
    }

    [TestMethod]
    public void AWildcardRouteNeverTakesTheRepliesOfARequestTopic()
    {
        var t = new TestDevice(null);
        var any = new RecordingTopicHandler();
        t.Device.Route("thing/config/+", any);
        int get = t.Device.DefineRequest("thing/config/get", "thing.config.get");
        t.Device.Connect();
        var h = new RecordingReplyHandler();
        int id = t.Device.Query(get, null, h, 0);

        t.Session.Enqueue(Prefix + "thing/config/get_reply", "{\"id\":\"" + id + "\",\"code\":200,\"data\":{}}");
        t.Session.Enqueue(Prefix + "thing/config/push", "{}");
        t.Device.Yield(1);
        Assert.AreEqual(1, h.Calls, "the reply reached its request");
        Assert.IsTrue(h.Status == ReplyStatus.Replied, "replied");
        Assert.AreEqual(1, any.Calls, "the route still takes the rest");
        Assert.AreEqual("{}", any.Payload);
    }

    [TestMethod]
    public void ATopicWhoseSubscribeCannotGoNowIsKeptAndSubscribedAtTheNextConnect()
    {
        var t = TestDevice.Connected();
        t.Session.SubscribeResult = MqttStatus.ChannelFailed;
        int get = t.Device.DefineRequest("thing/config/get", "thing.config.get");
        Assert.IsTrue(get >= 0, "defined: " + get);
        Assert.IsTrue(t.Log.Contains("subscribe failed: " + Prefix + "thing/config/get_reply (channel failed); again at the next connect"), t.Log.ToString());

        t.Session.SubscribeResult = MqttStatus.Ok;
        t.Session.Drop(MqttStatus.ChannelFailed);
        t.Device.Yield(1);
        t.Clock.Advance(120000);
        t.Device.Yield(1);
        Assert.IsTrue(t.Device.IsConnected);
        Assert.IsTrue(t.Session.Subscriptions.Contains(Prefix + "thing/config/get_reply"));
        var h = new RecordingReplyHandler();
        int id = t.Device.Query(get, null, h, 0);
        t.Session.Enqueue(Prefix + "thing/config/get_reply", "{\"id\":\"" + id + "\",\"code\":200,\"data\":{}}");
        t.Device.Yield(1);
        Assert.IsTrue(h.Status == ReplyStatus.Replied, "replied");
    }

    [TestMethod]
    public void AnAckIsWrittenWithTheWriterAndPublishedOnItsTopic()
    {
        var t = new TestDevice(null);
        int ack = t.Device.DefineTopic("thing/config/push_reply");
        t.Device.Connect();

        JsonWriter w = t.Device.BeginMessage();
        w.BeginObject();
        w.WriteProperty("id", "123");
        w.WriteProperty("code", 200);
        w.WriteName("data");
        w.BeginObject();
        w.EndObject();
        w.EndObject();
        Expect.Status(LinkkitStatus.Ok, t.Device.Publish(ack, 1));
        Assert.AreEqual(Prefix + "thing/config/push_reply", t.Session.LastTopic);
        Assert.AreEqual("{\"id\":\"123\",\"code\":200,\"data\":{}}", t.Session.LastPayload);
        Assert.AreEqual(1, (int)t.Session.PublishedQos[0]);

        t.Device.BeginMessage().BeginObject();
        Expect.Throws(typeof(InvalidOperationException), () => t.Device.Publish(ack, 0));
    }

    [TestMethod]
    public void RequestIdsIncreaseByOneAcrossReportsEventsAndQueries()
    {
        var t = new TestDevice(null);
        int ev = t.Device.DefineEvent("Alarm");
        int get = t.Device.DefineRequest("thing/config/get", "thing.config.get");
        t.Device.Connect();
        Assert.AreEqual(0, t.Device.LastRequestId);
        Assert.AreEqual(1, t.Device.Report(null, null));
        Assert.AreEqual(2, t.Device.TriggerEvent(ev, null, null));
        Assert.AreEqual(3, t.Device.Query(get, null, new RecordingReplyHandler(), 0));
        Assert.AreEqual(4, t.Device.Report(null, null));
        Assert.AreEqual(4, t.Device.LastRequestId);
    }
}
