using System.Net.Http.Json;
using System.Text.Json;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud;
using MQTTnet;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>One-type-one-secret registration over HTTPS, end to end.</summary>
[TestClass]
public sealed class DynamicRegistrationTests
{
    private static LocalPlatform _platform = null!;
    private static Product _product = null!;
    private static HttpClient _http = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _platform = await LocalPlatform.StartAsync();
        _product = _platform.Registry.AddProduct("pkreg", "productsecret-reg");
        _http = new HttpClient(_platform.Certificates.CreateTrustingHandler()) { Timeout = TimeSpan.FromSeconds(30) };
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        _http.Dispose();
        await _platform.StopAsync();
    }

    private static async Task<JsonElement> RegisterAsync(string deviceName, string? sign = null, string random = "8Ygb7ULYh53B6OA")
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["productKey"] = _product.ProductKey,
            ["deviceName"] = deviceName,
            ["random"] = random,
            ["sign"] = sign ?? DeviceSignature.RegisterSign(_product.ProductSecret, _product.ProductKey, deviceName, random),
            ["signMethod"] = "hmacsha256",
        });
        using var response = await _http.PostAsync(_platform.RegistrationUri, form);
        Assert.AreEqual(200, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    [TestMethod]
    public async Task RegistrationIssuesAFreshSecretUntilTheDeviceConnects()
    {
        var name = "reg" + Guid.NewGuid().ToString("N")[..8];
        _platform.Registry.AddDeviceForRegistration(_product.ProductKey, name);

        var first = await RegisterAsync(name);
        Assert.AreEqual(200, first.GetProperty("code").GetInt32());
        var data = first.GetProperty("data");
        Assert.AreEqual(_product.ProductKey, data.GetProperty("productKey").GetString());
        Assert.AreEqual(name, data.GetProperty("deviceName").GetString());
        var secret1 = data.GetProperty("deviceSecret").GetString()!;

        var second = await RegisterAsync(name, random: "another-random");
        var secret2 = second.GetProperty("data").GetProperty("deviceSecret").GetString()!;
        Assert.AreNotEqual(secret1, secret2);

        // Only the latest secret opens the broker; connecting activates the device.
        var device = _platform.Registry.FindDevice(_product.ProductKey, name)!;
        Assert.AreEqual(MqttClientConnectResultCode.BadUserNameOrPassword,
            await TestDevice.TryConnectAsync(TestDevice.Options(_platform, device, secret: secret1)));
        Assert.AreEqual(MqttClientConnectResultCode.Success,
            await TestDevice.TryConnectAsync(TestDevice.Options(_platform, device, tls: true, secret: secret2)));

        var third = await RegisterAsync(name);
        Assert.AreEqual(DeviceRegistry.CodeAlreadyActivated, third.GetProperty("code").GetInt32());
        Assert.IsFalse(third.GetProperty("data").TryGetProperty("deviceSecret", out _));
        Assert.IsFalse(string.IsNullOrEmpty(third.GetProperty("message").GetString()));
        Assert.AreEqual(secret2, _platform.Registry.FindDevice(_product.ProductKey, name)!.DeviceSecret);
    }

    [TestMethod]
    public async Task BadSignIsRefused()
    {
        var name = "bad" + Guid.NewGuid().ToString("N")[..8];
        _platform.Registry.AddDeviceForRegistration(_product.ProductKey, name);
        var wrongKey = DeviceSignature.RegisterSign("not-the-product-secret", _product.ProductKey, name, "r1");
        var reply = await RegisterAsync(name, sign: wrongKey, random: "r1");
        Assert.AreEqual(DeviceRegistry.CodeBadSign, reply.GetProperty("code").GetInt32());
        Assert.IsNull(_platform.Registry.FindDevice(_product.ProductKey, name)!.DeviceSecret);

        var otherRandom = DeviceSignature.RegisterSign(_product.ProductSecret, _product.ProductKey, name, "r1");
        reply = await RegisterAsync(name, sign: otherRandom, random: "r2");
        Assert.AreEqual(DeviceRegistry.CodeBadSign, reply.GetProperty("code").GetInt32());
    }

    [TestMethod]
    public async Task LowercaseSignIsAccepted()
    {
        var name = "low" + Guid.NewGuid().ToString("N")[..8];
        _platform.Registry.AddDeviceForRegistration(_product.ProductKey, name);
        var sign = DeviceSignature.RegisterSign(_product.ProductSecret, _product.ProductKey, name, "r").ToLowerInvariant();
        Assert.AreEqual(200, (await RegisterAsync(name, sign: sign, random: "r")).GetProperty("code").GetInt32());
    }

    [TestMethod]
    public async Task UnknownDeviceAndMissingFieldsAreRefused()
    {
        Assert.AreEqual(DeviceRegistry.CodeDeviceNotFound, (await RegisterAsync("never-added")).GetProperty("code").GetInt32());
        using var response = await _http.PostAsync(_platform.RegistrationUri,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["productKey"] = _product.ProductKey }));
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual(DeviceRegistry.CodeBadRequest, reply.GetProperty("code").GetInt32());
    }

    [TestMethod]
    public async Task ClientsWithoutThePlatformCaAreNotTrusted()
    {
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => plain.GetAsync(_platform.HttpsBase));
        Assert.IsTrue(File.Exists(_platform.CaPemPath));
        StringAssert.StartsWith(_platform.CaPem, "-----BEGIN CERTIFICATE-----");
    }
}
