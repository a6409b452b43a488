using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CotaFirmware.Host.Cloud.Registry;

/// <summary>POST /auth/register/device: one-type-one-secret registration. The form carries productKey,
/// deviceName, random, sign and signMethod; sign is hex HMAC keyed with the ProductSecret over
/// <c>deviceName{dn}productKey{pk}random{r}</c>. HTTP 200 with a JSON code, as on Aliyun, for every request the
/// platform reads; 413 for a body over <see cref="MaxFormBytes"/>.</summary>
internal static class DynamicRegistration
{
    /// <summary>The largest registration body read: the five fields need a few hundred bytes.</summary>
    public const int MaxFormBytes = 8192;

    public static async Task HandleAsync(HttpContext ctx, DeviceRegistry registry, Action<string>? log)
    {
        RegistrationOutcome outcome;
        if (!ctx.Request.HasFormContentType)
        {
            outcome = new RegistrationOutcome(DeviceRegistry.CodeBadRequest, "form body expected", null);
        }
        else
        {
            try
            {
                var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
                outcome = Register(registry, form["productKey"].FirstOrDefault(), form["deviceName"].FirstOrDefault(),
                    form["random"].FirstOrDefault(), form["sign"].FirstOrDefault(),
                    form["signMethod"].FirstOrDefault() ?? "hmacsha256");
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                log?.Invoke("https: register refused: a body over " + MaxFormBytes + " bytes");
                ctx.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }
            catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
            {
                // A malformed form (multipart boundary, encoding) is the device's error, answered like any other.
                outcome = new RegistrationOutcome(DeviceRegistry.CodeBadRequest, "the form cannot be read", null);
            }
        }
        log?.Invoke("https: register " + outcome.Code + " " + outcome.Message);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json;charset=utf-8";
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("code", outcome.Code);
            json.WriteStartObject("data");
            if (outcome.Device is { } d)
            {
                json.WriteString("productKey", d.ProductKey);
                json.WriteString("deviceName", d.DeviceName);
                json.WriteString("deviceSecret", d.DeviceSecret);
            }
            json.WriteEndObject();
            json.WriteString("message", outcome.Message);
            json.WriteEndObject();
        }
        ctx.Response.ContentLength = stream.Length;
        await ctx.Response.Body.WriteAsync(stream.ToArray(), ctx.RequestAborted);
    }

    private static RegistrationOutcome Register(DeviceRegistry registry, string? productKey, string? deviceName,
        string? random, string? sign, string signMethod)
    {
        if (string.IsNullOrEmpty(productKey) || string.IsNullOrEmpty(deviceName) || string.IsNullOrEmpty(random)
            || string.IsNullOrEmpty(sign))
        {
            return new RegistrationOutcome(DeviceRegistry.CodeBadRequest, "productKey, deviceName, random and sign are required", null);
        }
        var product = registry.FindProduct(productKey);
        if (product is null)
        {
            return new RegistrationOutcome(DeviceRegistry.CodeProductNotFound, "product not found", null);
        }
        var expected = DeviceSignature.Hmac(signMethod, product.ProductSecret,
            DeviceSignature.RegisterSignContent(deviceName, productKey, random));
        if (expected is null)
        {
            return new RegistrationOutcome(DeviceRegistry.CodeBadRequest, "unsupported signMethod", null);
        }
        if (!DeviceSignature.HexMatches(sign, expected))
        {
            return new RegistrationOutcome(DeviceRegistry.CodeBadSign, "sign check failed", null);
        }
        return registry.Register(productKey, deviceName);
    }
}
