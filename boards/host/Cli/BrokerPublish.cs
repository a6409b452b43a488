using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using CotaFirmware.Host.Cloud.Cota;
using MQTTnet.Protocol;
using MQTTnet;

namespace CotaFirmware.Host.Cli;

/// <summary><c>publish --broker</c>: pushes a config to devices through any plain MQTT broker (mosquitto, say), as
/// the IoT Platform would: a <c>thing.config.push</c> naming the file's URL, size and SHA-256. Until each device
/// reported (or the timeout), it answers their <c>thing.config.get</c> with the same config and acknowledges their
/// ConfigResult events, as the platform does: that reply is the contact that confirms a device's trial. The results
/// decide the exit code.</summary>
public static class BrokerPublish
{
    /// <summary>Pushes <paramref name="content"/> (served at <paramref name="url"/>) to each device; returns the exit code.</summary>
    public static int Run(string broker, string productKey, IReadOnlyList<string> deviceNames, string url, byte[] content,
        TimeSpan wait, TextWriter output)
    {
        var colon = broker.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(broker[(colon + 1)..], out int port) || port is < 1 or > 65535)
        {
            throw new UsageException("--broker takes host:port, e.g. 127.0.0.1:1883");
        }

        string configId = "c" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        var config = new ConfigFile(configId, productKey, content.Length,
            Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant(), configId + ".json", DateTimeOffset.UtcNow);
        return RunAsync(broker[..colon], port, config, deviceNames, url, wait, output).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(string host, int port, ConfigFile config, IReadOnlyList<string> deviceNames, string url,
        TimeSpan wait, TextWriter output)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var results = new Dictionary<string, ResultReport>(StringComparer.Ordinal);
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += async e =>
        {
            var topic = e.ApplicationMessage.Topic;
            var payload = Encoding.UTF8.GetString(e.ApplicationMessage.Payload);
            string? id = RequestId(payload);
            var asking = deviceNames.FirstOrDefault(d => topic == Sys(config.ProductKey, d, "thing/config/get"));
            if (asking != null)
            {
                await Send(client, topic + "_reply", PlatformCota.Json(json =>
                {
                    PlatformCota.WriteId(json, id);
                    json.WriteString("version", "1.0");
                    json.WriteNumber("code", 200);
                    json.WriteStartObject("data");
                    PlatformCota.WriteConfigFields(json, config, url);
                    json.WriteEndObject();
                    json.WriteString("method", "thing.config.get");
                }));
                return;
            }

            var name = deviceNames.FirstOrDefault(d => topic == Sys(config.ProductKey, d, "thing/event/ConfigResult/post"));
            if (name == null)
            {
                return;
            }

            await Send(client, topic + "_reply", PlatformCota.Json(json =>
            {
                json.WriteNumber("code", 200);
                json.WriteStartObject("data");
                json.WriteEndObject();
                PlatformCota.WriteId(json, id);
                json.WriteString("message", "success");
                json.WriteString("method", "thing.event.ConfigResult.post");
                json.WriteString("version", "1.0");
            }));
            if (ResultReport.From(new DeviceMessage(0, DateTimeOffset.UtcNow, config.ProductKey, name,
                    DeviceMessageKind.Result, topic, "ConfigResult", id, null, payload, true)) is { } report && report.ConfigId == config.ConfigId)
            {
                lock (results)
                {
                    results[name] = report;
                    if (results.Count == deviceNames.Count)
                    {
                        allIn.TrySetResult();
                    }
                }
            }
        };

        try
        {
            var connected = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(host, port)
                .WithClientId("cota-host-publish-" + config.ConfigId).WithCleanSession().WithTimeout(TimeSpan.FromSeconds(10)).Build());
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new RunFailedException("the broker at " + host + ":" + port + " refused the connection: " + connected.ResultCode);
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            // The library's words name its own types ('Unspecified/127.0.0.1:1'): say what the user can check instead.
            throw new RunFailedException("no MQTT broker answers at " + host + ":" + port + " (" + Cause(e)
                + "): is the broker running, and is that its host and plain-TCP port?");
        }

        foreach (var name in deviceNames)
        {
            await client.SubscribeAsync(Sys(config.ProductKey, name, "thing/event/ConfigResult/post"), MqttQualityOfServiceLevel.AtLeastOnce);
            await client.SubscribeAsync(Sys(config.ProductKey, name, "thing/config/get"), MqttQualityOfServiceLevel.AtLeastOnce);
        }

        foreach (var name in deviceNames)
        {
            await Send(client, Sys(config.ProductKey, name, "thing/config/push"), PlatformCota.Json(json =>
            {
                json.WriteString("id", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteString("version", "1.0");
                json.WriteStartObject("params");
                PlatformCota.WriteConfigFields(json, config, url);
                json.WriteEndObject();
                json.WriteString("method", "thing.config.push");
            }));
        }

        output.WriteLine("pushed config " + config.ConfigId + " (" + config.Size + " bytes, sha256 " + config.Sign + ", at " + url + ") through "
            + host + ":" + port + " to " + string.Join(", ", deviceNames) + " of product " + config.ProductKey);
        output.WriteLine("answering their thing.config.get and results until each reported (at most " + (int)wait.TotalSeconds
            + " s); devices not connected now do not get it");
        output.Flush();
        await Task.WhenAny(allIn.Task, Task.Delay(wait));
        await client.DisconnectAsync();
        int failed = 0;
        lock (results)
        {
            foreach (var name in deviceNames)
            {
                if (!results.TryGetValue(name, out var report))
                {
                    failed++;
                    output.WriteLine("  " + name + ": no result within " + (int)wait.TotalSeconds + " s");
                }
                else
                {
                    failed += report.Status == ResultReport.Applied ? 0 : 1;
                    output.WriteLine("  " + name + ": " + report.Status.Replace('_', ' ') + (report.Reasons.Length > 0 ? ": " + report.Reasons : ""));
                }
            }
        }

        output.WriteLine(failed == 0 ? "all " + deviceNames.Count + " devices applied " + config.ConfigId
            : failed + " of " + deviceNames.Count + " devices did not apply " + config.ConfigId);
        return failed == 0 ? 0 : 1;
    }

    // Why the connection failed, in our words.
    private static string Cause(Exception e)
    {
        for (var inner = e; inner != null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    System.Net.Sockets.SocketError.ConnectionRefused => "connection refused",
                    System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData => "no such host",
                    System.Net.Sockets.SocketError.TimedOut => "no answer",
                    var other => "socket error " + other,
                };
            }
        }

        return e is OperationCanceledException ? "no answer within 10 s" : "the connection failed";
    }

    private static Task Send(IMqttClient client, string topic, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build());

    private static string? RequestId(string payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out var id) ? id.GetRawText() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Sys(string productKey, string deviceName, string rest) => "/sys/" + productKey + "/" + deviceName + "/" + rest;
}
