using System.Security.Cryptography;
using System.Text.Json;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud.Web;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>The cloud side of COTA against an MQTTnet client standing in for the device.</summary>
[TestClass]
public sealed class PlatformCotaTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static LocalPlatform _platform = null!;
    private static HttpClient _http = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _platform = await LocalPlatform.StartAsync(new PlatformSettings { Console = true });
        _http = new HttpClient(_platform.Certificates.CreateTrustingHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Add(WebConsole.TokenHeader, _platform.Console!.Token);
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        _http.Dispose();
        await _platform.StopAsync();
    }

    /// <summary>A fresh product, so each test sees only its own configs.</summary>
    private static Product NewProduct() => _platform.Registry.AddProduct();

    private static async Task<TestDevice> OnlineDeviceAsync(Product product, string name, bool tls = false)
    {
        var device = await TestDevice.ConnectAsync(_platform, _platform.Registry.AddDevice(product.ProductKey, name), tls);
        await device.SubscribeAsync(device.Sys("thing/config/push"));
        await device.SubscribeAsync(device.Sys("thing/config/get_reply"));
        await device.SubscribeAsync(device.Sys("thing/event/+/post_reply"));
        return device;
    }

    // A device online and offered the product's current config, which must be config.
    private static async Task<TestDevice> OfferedDeviceAsync(Product product, string name, ConfigFile config)
    {
        var device = await OnlineDeviceAsync(product, name);
        Assert.AreEqual(config.ConfigId, await OfferedAsync(device));
        return device;
    }

    private static void AssertConfigFields(JsonElement fields, ConfigFile config)
    {
        Assert.AreEqual(config.ConfigId, fields.GetProperty("configId").GetString());
        Assert.AreEqual(config.Size, fields.GetProperty("configSize").GetInt64());
        Assert.AreEqual(config.Sign, fields.GetProperty("sign").GetString());
        Assert.AreEqual("Sha256", fields.GetProperty("signMethod").GetString());
        Assert.AreEqual("file", fields.GetProperty("getType").GetString());
        Assert.IsTrue(fields.GetProperty("url").GetString()!.Length >= 800);
    }

    [TestMethod]
    public async Task PushReachesEveryOnlineDeviceOfTheProduct()
    {
        var product = NewProduct();
        await using var a = await OnlineDeviceAsync(product, "a");
        await using var b = await OnlineDeviceAsync(product, "b", tls: true);
        _platform.Registry.AddDevice(product.ProductKey, "offline");
        var config = _platform.Cota.PublishConfig(product.ProductKey, "{\"led\":{\"blink\":500}}");

        var pushes = await _platform.Cota.PushAsync(product.ProductKey);

        CollectionAssert.AreEquivalent(new[] { "a", "b" }, pushes.Select(p => p.DeviceName).ToArray());
        foreach (var device in new[] { a, b })
        {
            using var push = JsonDocument.Parse(await device.ReceiveAsync(device.Sys("thing/config/push")));
            var root = push.RootElement;
            Assert.AreEqual("thing.config.push", root.GetProperty("method").GetString());
            Assert.AreEqual("1.0", root.GetProperty("version").GetString());
            var sent = pushes.Single(p => p.DeviceName == device.DeviceName);
            Assert.AreEqual(sent.PushId, root.GetProperty("id").GetString());
            AssertConfigFields(root.GetProperty("params"), config);

            // What the push describes is what the URL serves.
            var bytes = await _http.GetByteArrayAsync(root.GetProperty("params").GetProperty("url").GetString());
            Assert.AreEqual(config.Sign, Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant());
            Assert.AreEqual(sent.PushId, _platform.Registry.CotaState(product.ProductKey, device.DeviceName).LastPushId);
        }
    }

    [TestMethod]
    public async Task GetIsAnsweredWithTheCurrentConfigEchoingTheId()
    {
        var product = NewProduct();
        await using var device = await OnlineDeviceAsync(product, "getter");
        _platform.Cota.PublishConfig(product.ProductKey, "{\"v\":1}");
        var current = _platform.Cota.PublishConfig(product.ProductKey, "{\"v\":2}");

        await device.PublishAsync(device.Sys("thing/config/get"),
            "{\"id\":\"123\",\"version\":\"1.0\",\"sys\":{\"ack\":0},\"params\":{\"configScope\":\"product\",\"getType\":\"file\"},\"method\":\"thing.config.get\"}");
        using (var reply = JsonDocument.Parse(await device.ReceiveAsync(device.Sys("thing/config/get_reply"))))
        {
            Assert.AreEqual("123", reply.RootElement.GetProperty("id").GetString());
            Assert.AreEqual(200, reply.RootElement.GetProperty("code").GetInt32());
            AssertConfigFields(reply.RootElement.GetProperty("data"), current);
        }

        // The C SDK's form: a numeric id (echoed as a number) and an extra attributeKeys.
        await device.PublishAsync(device.Sys("thing/config/get"),
            "{\"id\" : 0,\"version\":\"1.0\",\"params\":{\"configScope\":\"product\",\"getType\":\"file\",\"attributeKeys\":\"\"},\"method\":\"thing.config.get\"}");
        using (var reply = JsonDocument.Parse(await device.ReceiveAsync(device.Sys("thing/config/get_reply"))))
        {
            Assert.AreEqual(JsonValueKind.Number, reply.RootElement.GetProperty("id").ValueKind);
            Assert.AreEqual(200, reply.RootElement.GetProperty("code").GetInt32());
        }
        var gets = _platform.Cota.Messages.Where(m => m.DeviceName == "getter" && m.ProductKey == product.ProductKey).ToList();
        Assert.AreEqual(2, gets.Count(m => m.Kind == DeviceMessageKind.ConfigGet));
    }

    [TestMethod]
    public async Task GetWithoutAConfigIsAnswered6710()
    {
        await using var device = await OnlineDeviceAsync(NewProduct(), "early");
        await device.PublishAsync(device.Sys("thing/config/get"),
            "{\"id\":\"7\",\"version\":\"1.0\",\"params\":{\"configScope\":\"product\",\"getType\":\"file\"},\"method\":\"thing.config.get\"}");
        using var reply = JsonDocument.Parse(await device.ReceiveAsync(device.Sys("thing/config/get_reply")));
        Assert.AreEqual("7", reply.RootElement.GetProperty("id").GetString());
        Assert.AreEqual(PlatformCota.CodeNoData, reply.RootElement.GetProperty("code").GetInt32());
    }

    [TestMethod]
    public async Task PushReplyIsRecordedAndAwaitable()
    {
        await using var device = await OnlineDeviceAsync(NewProduct(), "acker");
        _platform.Cota.PublishConfig(device.ProductKey, "{}");
        var push = (await _platform.Cota.PushAsync(device.ProductKey)).Single();
        var received = await device.ReceiveAsync(device.Sys("thing/config/push"));
        StringAssert.Contains(received, push.PushId);

        await device.PublishAsync(device.Sys("thing/config/push_reply"), "{\"id\":\"" + push.PushId + "\",\"code\":200,\"data\":{}}");
        var reply = await _platform.Cota.WaitForPushReplyAsync(push, Wait);

        Assert.AreEqual(200, reply.Code);
        Assert.IsTrue(reply.WellFormed);
        var state = _platform.Registry.CotaState(device.ProductKey, "acker");
        Assert.AreEqual(push.PushId, state.LastPushId);
        Assert.AreEqual(push.Config.ConfigId, state.LastPushConfigId);
        Assert.AreEqual(reply.Sequence, state.PushReplies.Single().Sequence);
    }

    [TestMethod]
    public async Task MalformedPushReplyIsRecordedAsSuch()
    {
        await using var device = await OnlineDeviceAsync(NewProduct(), "sdk3");
        // The 3.x SDK's ack: no braces around the object, code as a string.
        await device.PublishAsync(device.Sys("thing/config/push_reply"), "\"id\":2001,\"code\":\"400\",\"data\":{}");
        var reply = await _platform.Cota.NextAsync(device.ProductKey, "sdk3", DeviceMessageKind.PushReply, Wait);
        Assert.IsFalse(reply.WellFormed);
        Assert.IsNull(reply.Code);
    }

    [TestMethod]
    public async Task ResultEventIsRecordedAndAcknowledged()
    {
        await using var device = await OnlineDeviceAsync(NewProduct(), "reporter");
        var after = _platform.Cota.LastSequence;
        await device.PublishAsync(device.Sys("thing/event/ConfigResult/post"),
            "{\"id\":\"55\",\"version\":\"1.0\",\"params\":{\"configId\":\"abc\",\"result\":0},\"method\":\"thing.event.ConfigResult.post\"}");

        var result = await _platform.Cota.NextAsync(device.ProductKey, "reporter", DeviceMessageKind.Result, Wait, after);
        Assert.AreEqual("ConfigResult", result.Identifier);
        Assert.AreEqual("\"55\"", result.Id);
        using var ack = JsonDocument.Parse(await device.ReceiveAsync(device.Sys("thing/event/ConfigResult/post_reply")));
        Assert.AreEqual("55", ack.RootElement.GetProperty("id").GetString());
        Assert.AreEqual(200, ack.RootElement.GetProperty("code").GetInt32());
        Assert.AreEqual("thing.event.ConfigResult.post", ack.RootElement.GetProperty("method").GetString());
        Assert.AreEqual(result.Sequence, _platform.Registry.CotaState(device.ProductKey, "reporter").Results.Single().Sequence);
    }

    [TestMethod]
    public async Task PropertyPostAndOtherEventsAreAcknowledged()
    {
        await using var device = await OnlineDeviceAsync(NewProduct(), "props");
        await device.PublishAsync(device.Sys("thing/event/property/post"),
            "{\"id\":\"9\",\"version\":\"1.0\",\"params\":{\"LightSwitch\":1},\"method\":\"thing.event.property.post\"}");
        using (var ack = JsonDocument.Parse(await device.ReceiveAsync(device.Sys("thing/event/property/post_reply"))))
        {
            Assert.AreEqual("9", ack.RootElement.GetProperty("id").GetString());
            Assert.AreEqual(200, ack.RootElement.GetProperty("code").GetInt32());
        }
        await device.PublishAsync(device.Sys("thing/event/Alarm/post"), "{\"id\":10,\"params\":{}}");
        using (var ack = JsonDocument.Parse(await device.ReceiveAsync(device.Sys("thing/event/Alarm/post_reply"))))
        {
            Assert.AreEqual(10, ack.RootElement.GetProperty("id").GetInt32());
        }
        var kinds = _platform.Cota.Messages.Where(m => m.ProductKey == device.ProductKey).Select(m => m.Kind).ToList();
        CollectionAssert.AreEqual(new[] { DeviceMessageKind.Property, DeviceMessageKind.Event }, kinds);
        Assert.AreEqual(0, _platform.Registry.CotaState(device.ProductKey, "props").Results.Count);
    }

    [TestMethod]
    public async Task WaitingForAMessageThatNeverComesTimesOut()
    {
        await Assert.ThrowsExactlyAsync<TimeoutException>(() =>
            _platform.Cota.NextAsync("nobody", "none", DeviceMessageKind.Result, TimeSpan.FromMilliseconds(100)));
    }

    [TestMethod]
    public async Task AConfigADeviceRejectsIsNotOfferedToDevicesThatAskLaterUntilItIsPublishedAgain()
    {
        var product = NewProduct();
        var good = _platform.Cota.PublishConfig(product.ProductKey, "{\"telemetry\":{\"intervalSeconds\":30}}");
        var bad = _platform.Cota.PublishConfig(product.ProductKey, "{\"fan\":1}");
        await using var first = await OnlineDeviceAsync(product, "first");
        await using var later = await OnlineDeviceAsync(product, "later");
        Assert.AreEqual(bad.ConfigId, await OfferedAsync(first));
        Assert.AreEqual(bad.ConfigId, await OfferedAsync(later));

        await ReportAsync(first, "{\"id\":\"7\",\"params\":{\"configId\":\"" + bad.ConfigId
            + "\",\"status\":\"rejected\",\"errors\":[{\"module\":\"\",\"key\":\"fan\",\"code\":\"key_not_recognized\"}]}}");

        var refused = _platform.Registry.FindConfig(bad.ConfigId)!;
        Assert.IsNotNull(refused.Rejection);
        Assert.AreEqual("first", refused.Rejection.DeviceName);
        CollectionAssert.AreEqual(new[] { "fan: key_not_recognized" }, refused.Rejection.Errors.ToArray());
        Assert.AreEqual(good.ConfigId, _platform.Registry.CurrentConfig(product.ProductKey)!.ConfigId);
        Assert.AreEqual(good.ConfigId, await OfferedAsync(later), "a later get is offered the config before the refused one");

        _platform.Cota.RepublishConfig(bad.ConfigId);
        Assert.IsNull(_platform.Registry.FindConfig(bad.ConfigId)!.Rejection);
        Assert.AreEqual(bad.ConfigId, await OfferedAsync(later), "published again, it is offered again");
    }

    [TestMethod]
    public async Task PublishingAgainAConfigDevicesRefusedSaysTheyWillNotTakeItAndCountsThemDone()
    {
        var product = NewProduct();
        var good = _platform.Cota.PublishConfig(product.ProductKey, "{\"telemetry\":{\"intervalSeconds\":30}}");
        await using var keeper = await OfferedDeviceAsync(product, "keeper", good);
        await ReportAsync(keeper, Result(good.ConfigId, "applied"));
        var bad = _platform.Cota.PublishConfig(product.ProductKey, "{\"fan\":1}");
        await using var refuser = await OfferedDeviceAsync(product, "refuser", bad);
        await ReportAsync(refuser, "{\"id\":\"7\",\"params\":{\"configId\":\"" + bad.ConfigId
            + "\",\"status\":\"rejected\",\"reason\":\"Rejected\",\"errors\":[{\"module\":\"\",\"key\":\"fan\",\"code\":\"key_not_recognized\"}]}}");
        Assert.IsNotNull(_platform.Registry.FindConfig(bad.ConfigId)!.Rejection);

        // The firmware never takes a configId and sign it rejected again: the answer says so, and the rollout does not
        // show the device as waiting for it.
        var again = await PostAsync<PublishReply>("republish?configId=" + bad.ConfigId);
        CollectionAssert.AreEquivalent(new[] { "keeper", "refuser" }, again.PushedTo);
        CollectionAssert.AreEqual(new[] { "refuser" }, again.RefusedForGood);
        Assert.AreEqual("1 device refused this config and will not take it again: publish a corrected config", again.Warning);
        var rollout = await GetAsync<RolloutView>("rollout?configId=" + bad.ConfigId);
        var stage = rollout.Devices.Single(d => d.DeviceName == "refuser");
        Assert.AreEqual(RolloutStage.Rejected, stage.Stage);
        CollectionAssert.Contains(stage.Reasons.ToArray(), "fan: key_not_recognized");
        var state = await GetAsync<FleetSnapshot>("state");
        Assert.AreEqual("refused", state.Devices.Single(d => d.DeviceName == "refuser").Status);

        // Rolling back to a config a device applied warns of nothing.
        var back = await PostAsync<PublishReply>("republish?configId=" + good.ConfigId);
        Assert.AreEqual(0, back.RefusedForGood!.Length);
        Assert.IsNull(back.Warning);
        Assert.AreEqual(good.ConfigId, _platform.Registry.CurrentConfig(product.ProductKey)!.ConfigId);
    }

    [TestMethod]
    public async Task ApiCallsRefuseWhatTheyCannotDoNamingTheParameter()
    {
        var product = NewProduct();
        foreach (var (query, words) in new[]
        {
            ("republish", "republish needs configId"),
            ("provision", "provision needs productKey"),
            ("publish?allowEmpty=maybe", "allowEmpty is true or false, not 'maybe'"),
            ("provision?productKey=" + product.ProductKey + "&prefix=a/b%26c", "prefix 'a/b&c' cannot start device names"),
            ("provision?productKey=" + product.ProductKey + "&prefix=q/%23", "prefix 'q/#' cannot start device names"),
            ("provision?productKey=" + product.ProductKey + "&prefix=" + new string('n', 31) + "&count=10", "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn1..nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn10 must be 1 to 32 characters"),
            ("provision?productKey=" + product.ProductKey + "&count=-1", "count must be a whole number from 1 to 10000, not '-1'"),
            ("provision?productKey=" + product.ProductKey + "&count=99999999999", "count must be a whole number from 1 to 10000, not '99999999999'"),
        })
        {
            using var response = await _http.PostAsync(ConsoleApi(query), null);
            Assert.AreEqual(System.Net.HttpStatusCode.BadRequest, response.StatusCode, query);
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            StringAssert.Contains(answer.RootElement.GetProperty("error").GetString(), words, query);
        }

        using (var rollout = await _http.GetAsync(ConsoleApi("rollout")))
        {
            Assert.AreEqual(System.Net.HttpStatusCode.BadRequest, rollout.StatusCode);
            using var answer = JsonDocument.Parse(await rollout.Content.ReadAsStringAsync());
            StringAssert.Contains(answer.RootElement.GetProperty("error").GetString(), "rollout needs configId");
        }

        Assert.AreEqual(0, _platform.Registry.Devices.Count(d => d.ProductKey == product.ProductKey), "no device was made");
        var made = await PostAsync<ProvisionedDevice[]>("provision?productKey=" + product.ProductKey + "&prefix=pump-&count=2");
        CollectionAssert.AreEqual(new[] { "pump-1", "pump-2" }, made.Select(d => d.DeviceName).ToArray());
    }

    [TestMethod]
    public async Task AFailedDownloadDoesNotRefuseTheConfig()
    {
        var product = NewProduct();
        var config = _platform.Cota.PublishConfig(product.ProductKey, "{\"telemetry\":{\"intervalSeconds\":30}}");
        await using var device = await OfferedDeviceAsync(product, "flaky", config);
        await ReportAsync(device, "{\"id\":\"8\",\"params\":{\"configId\":\"" + config.ConfigId
            + "\",\"status\":\"rejected\",\"errors\":[{\"module\":\"download\",\"code\":\"HttpError\"}],\"httpStatus\":403}}");
        Assert.IsNull(_platform.Registry.FindConfig(config.ConfigId)!.Rejection);
        Assert.AreEqual(config.ConfigId, _platform.Registry.CurrentConfig(product.ProductKey)!.ConfigId);
    }

    [TestMethod]
    public async Task AResultForAConfigOfAnotherProductChangesNothing()
    {
        var victim = NewProduct();
        var target = _platform.Cota.PublishConfig(victim.ProductKey, "{\"telemetry\":{\"intervalSeconds\":30}}");
        var other = NewProduct();
        await using var attacker = await OnlineDeviceAsync(other, "attacker");

        await ReportAsync(attacker, Result(target.ConfigId, "rolled_back"));

        Assert.IsNull(_platform.Registry.FindConfig(target.ConfigId)!.Rejection);
        Assert.AreEqual(target.ConfigId, _platform.Registry.CurrentConfig(victim.ProductKey)!.ConfigId);
        Assert.AreEqual(0, _platform.Registry.CotaState(other.ProductKey, "attacker").Results.Count);
    }

    [TestMethod]
    public async Task AResultForAConfigTheDeviceWasNeverOfferedChangesNothing()
    {
        var product = NewProduct();
        var config = _platform.Cota.PublishConfig(product.ProductKey, "{\"telemetry\":{\"intervalSeconds\":30}}");
        await using var device = await OnlineDeviceAsync(product, "unasked");

        await ReportAsync(device, Result(config.ConfigId, "rolled_back"));

        Assert.IsNull(_platform.Registry.FindConfig(config.ConfigId)!.Rejection);
    }

    [TestMethod]
    public async Task ARolloutHaltsAtItsThresholdAfterTheMinimumNumberOfResults()
    {
        var product = NewProduct();
        // Halts at 3 refusals, or at half the results refusing once 4 devices reported.
        var config = _platform.Cota.PublishConfig(product.ProductKey, "{\"telemetry\":{\"intervalSeconds\":30}}",
            halt: new RolloutHalt(3, 50, 4));
        var devices = new List<TestDevice>();
        try
        {
            foreach (var (name, status) in new[] { ("r1", "rejected"), ("a1", "applied"), ("a2", "applied"), ("r2", "rolled_back") })
            {
                var device = await OnlineDeviceAsync(product, name);
                devices.Add(device);
                Assert.AreEqual(config.ConfigId, await OfferedAsync(device));
                await ReportAsync(device, Result(config.ConfigId, status));
                bool halted = _platform.Registry.FindConfig(config.ConfigId)!.Rejection != null;
                // 1 of 1, 1 of 2, 1 of 3: under the minimum; 2 of 4 refusing reaches 50%.
                Assert.AreEqual(name == "r2", halted, name);
            }
        }
        finally
        {
            foreach (var device in devices)
            {
                await device.DisposeAsync();
            }
        }

        Assert.AreEqual("r2", _platform.Registry.FindConfig(config.ConfigId)!.Rejection!.DeviceName);
        Assert.AreEqual("halts at 3 refusals or 50% of results refusing, after 4 results", config.HaltsAt.Text);
    }

    [TestMethod]
    public void AThresholdThatCannotHaltIsRefused()
    {
        var product = NewProduct();
        Assert.ThrowsExactly<ArgumentException>(() => _platform.Cota.PublishConfig(product.ProductKey, "{}", halt: new RolloutHalt(0, 0, 1)));
        Assert.ThrowsExactly<ArgumentException>(() => _platform.Cota.PublishConfig(product.ProductKey, "{}", halt: new RolloutHalt(1, 101, 1)));
        Assert.AreEqual("halts at the first refusal", RolloutHalt.Default.Text);
    }

    private static string Result(string configId, string status) =>
        "{\"id\":\"9\",\"params\":{\"configId\":\"" + configId + "\",\"status\":\"" + status + "\""
        + (status == "applied" ? "" : ",\"errors\":[{\"module\":\"telemetry\",\"key\":\"intervalSeconds\",\"code\":\"out_of_range\"}]")
        + "}}";

    private static string ConsoleApi(string pathAndQuery) => "http://127.0.0.1:" + _platform.Console!.Port + "/api/" + pathAndQuery;

    private static async Task<T> PostAsync<T>(string pathAndQuery)
    {
        using var response = await _http.PostAsync(ConsoleApi(pathAndQuery), null);
        string body = await response.Content.ReadAsStringAsync();
        Assert.IsTrue(response.IsSuccessStatusCode, body);
        return JsonSerializer.Deserialize<T>(body, WebConsole.Json)!;
    }

    private static async Task<T> GetAsync<T>(string pathAndQuery) =>
        JsonSerializer.Deserialize<T>(await _http.GetStringAsync(ConsoleApi(pathAndQuery)), WebConsole.Json)!;

    // Posts a result event and waits until the platform recorded it.
    private static async Task ReportAsync(TestDevice device, string result)
    {
        long mark = _platform.Cota.LastSequence;
        await device.PublishAsync(device.Sys("thing/event/ConfigResult/post"), result);
        await _platform.Cota.NextAsync(device.ProductKey, device.DeviceName, DeviceMessageKind.Result, Wait, mark);
    }

    private static async Task<string?> OfferedAsync(TestDevice device)
    {
        await device.PublishAsync(device.Sys("thing/config/get"), "{\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"configScope\":\"product\",\"getType\":\"file\"},\"method\":\"thing.config.get\"}");
        using var reply = JsonDocument.Parse(await device.ReceiveAsync(device.Sys("thing/config/get_reply")));
        return reply.RootElement.GetProperty("data").TryGetProperty("configId", out var id) ? id.GetString() : null;
    }
}
