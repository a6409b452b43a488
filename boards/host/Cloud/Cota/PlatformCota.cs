using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using CotaFirmware.Host.Cloud.Broker;
using CotaFirmware.Host.Cloud.Files;
using CotaFirmware.Host.Cloud.Registry;

namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>The cloud side of remote configuration: publishes config files, pushes them to online devices,
/// answers thing.config.get, and records what devices send back (push_reply, result events, properties) so
/// that the demo and tests can wait for it.</summary>
public sealed class PlatformCota
{
    /// <summary>get_reply code when the product has no config.</summary>
    public const int CodeNoData = 6710;

    /// <summary>Reply code for a request the platform cannot read.</summary>
    public const int CodeBadRequest = 460;

    private readonly DeviceRegistry _registry;
    private readonly PlatformBroker _broker;
    private readonly ConfigFileServer _files;
    private readonly FleetHistory _history;
    private readonly PlatformSettings _settings;
    private readonly object _gate = new();
    private readonly List<DeviceMessage> _messages = new();
    private readonly List<Waiter> _waiters = new();
    private long _sequence;
    private long _pushId = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 1000;

    internal PlatformCota(DeviceRegistry registry, PlatformBroker broker, ConfigFileServer files, FleetHistory history,
        PlatformSettings settings)
    {
        _registry = registry;
        _broker = broker;
        _files = files;
        _history = history;
        _settings = settings;
        broker.OnDeviceMessage(HandleAsync);
    }

    /// <summary>The event identifier whose posts are COTA results.</summary>
    public string ResultEventIdentifier => _settings.ResultEventIdentifier;

    /// <summary>Every message devices sent, oldest first.</summary>
    public IReadOnlyList<DeviceMessage> Messages { get { lock (_gate) { return _messages.ToArray(); } } }

    /// <summary>The sequence number of the latest recorded message (0 when none): pass it as <c>after</c> to
    /// wait only for later ones.</summary>
    public long LastSequence { get { lock (_gate) { return _sequence; } } }

    /// <summary>Publishes a config file for a product: stores it, computes its size and SHA-256, gives it an id
    /// (random when <paramref name="configId"/> is null). It becomes the product's current config
    /// (<see cref="DeviceRegistry.CurrentConfig"/>) until its rollout halts at <paramref name="halt"/>
    /// (<see cref="RolloutHalt.Default"/> when null).</summary>
    public ConfigFile PublishConfig(string productKey, byte[] content, string? configId = null, RolloutHalt? halt = null)
    {
        if (halt?.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(halt));
        }
        if (_registry.FindProduct(productKey) is null)
        {
            throw new InvalidOperationException("unknown product " + productKey);
        }
        configId ??= DeviceRegistry.RandomToken(16, "abcdefghijklmnopqrstuvwxyz0123456789");
        if (configId.Length is 0 or > 64 || !configId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException("a configId has 1 to 64 letters, digits, '-' or '_'", nameof(configId));
        }
        if (_registry.FindConfig(configId) != null)
        {
            throw new InvalidOperationException("configId already used: " + configId);
        }
        // Configs carry Wi-Fi passwords.
        OwnerOnlyFile.Write(_files.PathOf(configId), content);
        var config = new ConfigFile(configId, productKey, content.Length,
            Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant(), configId + ".bin", DateTimeOffset.UtcNow,
            Halt: halt);
        _registry.AddConfig(config);
        Note("published " + configId + " for " + productKey + " (" + content.Length + " bytes, rollout "
            + config.HaltsAt + ")");
        _history.Touch();
        return config;
    }

    /// <summary>Publishes a config again: a config the fleet refused is offered again from now on, though the devices
    /// that refused it do not take it again (<see cref="DeviceRegistry.DevicesDoneWith"/>; the note says so).</summary>
    public ConfigFile RepublishConfig(string configId)
    {
        var config = _registry.Republish(configId, DateTimeOffset.UtcNow);
        Note("published " + configId + " again for " + config.ProductKey
            + (RefusedForGood(_registry.DevicesDoneWith(config)) is { } warning ? ": " + warning : ""));
        _history.Touch();
        return config;
    }

    /// <summary>What publishing a config again does not do on <paramref name="devices"/>, the devices that refused it
    /// for good; null when there are none.</summary>
    public static string? RefusedForGood(IReadOnlyList<string> devices) => devices.Count == 0 ? null
        : devices.Count + (devices.Count == 1 ? " device" : " devices")
          + " refused this config and will not take it again: publish a corrected config";

    /// <summary>Publishes UTF-8 text (usually JSON) as a config file.</summary>
    public ConfigFile PublishConfig(string productKey, string text, string? configId = null, RolloutHalt? halt = null) =>
        PublishConfig(productKey, Encoding.UTF8.GetBytes(text), configId, halt);

    /// <summary>A signed download URL for <paramref name="config"/> (default lifetime from the settings;
    /// a negative lifetime gives an expired URL).</summary>
    public string DownloadUrl(ConfigFile config, TimeSpan? lifetime = null) =>
        _files.CreateUrl(config, lifetime ?? _settings.DownloadUrlLifetime);

    private string DownloadUrl(ConfigFile config, string deviceName) =>
        _files.CreateUrl(config, _settings.DownloadUrlLifetime, deviceName);

    /// <summary>Pushes the product's current config (or <paramref name="configId"/>) to every online device of
    /// the product; returns one entry per device pushed to.</summary>
    public async Task<IReadOnlyList<ConfigPush>> PushAsync(string productKey, string? configId = null)
    {
        var config = Pick(productKey, configId);
        var pushes = new List<ConfigPush>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in await _broker.OnlineDevicesAsync())
        {
            if (device.ProductKey == productKey && seen.Add(device.DeviceName))
            {
                pushes.Add(NewPush(device.ProductKey, device.DeviceName, config));
            }
        }
        // One registry write for the whole fleet, before any device can answer.
        _registry.RecordPushes(pushes);
        foreach (var push in pushes)
        {
            await SendAsync(push);
        }
        Note("pushed " + config.ConfigId + " to " + pushes.Count + " online device" + (pushes.Count == 1 ? "" : "s") + " of " + productKey);
        return pushes;
    }

    /// <summary>Pushes to one device whether or not it is online (lost if it is not: QoS 0, as on Aliyun).</summary>
    public async Task<ConfigPush> PushToDeviceAsync(string productKey, string deviceName, string? configId = null)
    {
        var push = NewPush(productKey, deviceName, Pick(productKey, configId));
        _registry.RecordPushes(new[] { push });
        await SendAsync(push);
        Note("pushed " + push.Config.ConfigId + " to " + productKey + "/" + deviceName);
        return push;
    }

    /// <summary>The first message after sequence <paramref name="after"/> that matches, waiting up to
    /// <paramref name="timeout"/>; throws <see cref="TimeoutException"/> when none comes.</summary>
    public async Task<DeviceMessage> WaitForAsync(Func<DeviceMessage, bool> match, TimeSpan timeout, long after = 0)
    {
        Waiter waiter;
        lock (_gate)
        {
            foreach (var m in _messages)
            {
                if (m.Sequence > after && match(m))
                {
                    return m;
                }
            }
            waiter = new Waiter(match, after);
            _waiters.Add(waiter);
        }
        try
        {
            return await waiter.Done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("no matching device message within " + timeout.TotalSeconds + " s");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The next message of <paramref name="kind"/> from a device after sequence <paramref name="after"/>.</summary>
    public Task<DeviceMessage> NextAsync(string productKey, string deviceName, DeviceMessageKind kind,
        TimeSpan timeout, long after = 0) =>
        WaitForAsync(m => m.ProductKey == productKey && m.DeviceName == deviceName && m.Kind == kind, timeout, after);

    /// <summary>The device's push_reply to <paramref name="push"/> (matched by id, JSON string or number).</summary>
    public Task<DeviceMessage> WaitForPushReplyAsync(ConfigPush push, TimeSpan timeout) =>
        WaitForAsync(m => m.ProductKey == push.ProductKey && m.DeviceName == push.DeviceName
            && m.Kind == DeviceMessageKind.PushReply && m.Id is { } id && id.Trim('"') == push.PushId, timeout);

    /// <summary>The six fields push and get_reply carry for <paramref name="config"/>, as a JSON object.</summary>
    public static void WriteConfigFields(Utf8JsonWriter json, ConfigFile config, string url)
    {
        json.WriteString("configId", config.ConfigId);
        json.WriteNumber("configSize", config.Size);
        json.WriteString("sign", config.Sign);
        json.WriteString("signMethod", "Sha256");
        json.WriteString("url", url);
        json.WriteString("getType", "file");
    }

    private ConfigFile Pick(string productKey, string? configId)
    {
        var config = configId is null ? _registry.CurrentConfig(productKey) : _registry.FindConfig(configId);
        if (config is null || config.ProductKey != productKey)
        {
            throw new InvalidOperationException("no such config for " + productKey);
        }
        return config;
    }

    private ConfigPush NewPush(string productKey, string deviceName, ConfigFile config)
    {
        var id = Interlocked.Increment(ref _pushId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var url = DownloadUrl(config, deviceName);
        var payload = Json(json =>
        {
            json.WriteString("id", id);
            json.WriteString("version", "1.0");
            json.WriteStartObject("params");
            WriteConfigFields(json, config, url);
            json.WriteEndObject();
            json.WriteString("method", "thing.config.push");
        });
        return new ConfigPush(productKey, deviceName, id, config, url, payload);
    }

    private async Task SendAsync(ConfigPush push)
    {
        await _broker.PublishAsync(Topic(push.ProductKey, push.DeviceName, "thing/config/push"), push.Payload);
        _history.Add(new FleetEvent(DateTimeOffset.UtcNow, push.ProductKey, push.DeviceName, push.Config.ConfigId,
            RolloutStage.Offered, 0, push.Config.Size));
    }

    private async Task HandleAsync(ConnectedDevice device, string topic, byte[] payload)
    {
        var (kind, identifier) = Classify(device, topic);
        var text = Encoding.UTF8.GetString(payload);
        JsonDocument? doc = null;
        try
        {
            doc = JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
        }
        using (doc)
        {
            var root = doc?.RootElement;
            var wellFormed = root?.ValueKind == JsonValueKind.Object;
            string? id = null;
            int? code = null;
            if (wellFormed)
            {
                if (root!.Value.TryGetProperty("id", out var idElement))
                {
                    id = idElement.GetRawText();
                }
                if (root.Value.TryGetProperty("code", out var codeElement))
                {
                    code = codeElement.ValueKind switch
                    {
                        JsonValueKind.Number when codeElement.TryGetInt32(out var n) => n,
                        JsonValueKind.String when int.TryParse(codeElement.GetString(), out var n) => n,
                        _ => null,
                    };
                }
            }
            var message = new DeviceMessage(Interlocked.Increment(ref _sequence), DateTimeOffset.UtcNow, device.ProductKey,
                device.DeviceName, kind, topic, identifier, id, code, text, wellFormed);
            // The registry holds what a message changes before anyone waiting for the message hears of it.
            if (kind == DeviceMessageKind.PushReply)
            {
                _registry.RecordPushReply(message);
            }
            else if (kind == DeviceMessageKind.Result && Admits(message))
            {
                _registry.RecordResult(message);
                Judge(message);
            }
            Record(message);
            switch (kind)
            {
                case DeviceMessageKind.ConfigGet:
                    await AnswerGetAsync(device, id, wellFormed ? root : null);
                    break;
                case DeviceMessageKind.Result:
                    await AckAsync(device, topic, id, wellFormed ? root : null, "thing.event." + identifier + ".post");
                    break;
                case DeviceMessageKind.Event:
                    await AckAsync(device, topic, id, wellFormed ? root : null, "thing.event." + identifier + ".post");
                    break;
                case DeviceMessageKind.Property:
                    await AckAsync(device, topic, id, wellFormed ? root : null, "thing.event.property.post");
                    break;
                default:
                    // Every other alink request under thing/ gets its _reply, as on Aliyun.
                    if (topic.StartsWith(Topic(device.ProductKey, device.DeviceName, "thing/"), StringComparison.Ordinal)
                        && !topic.EndsWith("_reply", StringComparison.Ordinal))
                    {
                        await AckAsync(device, topic, id, wellFormed ? root : null, null);
                    }
                    break;
            }
        }
    }

    private (DeviceMessageKind Kind, string? Identifier) Classify(ConnectedDevice device, string topic)
    {
        var own = Topic(device.ProductKey, device.DeviceName, "");
        if (!topic.StartsWith(own, StringComparison.Ordinal))
        {
            return (DeviceMessageKind.Other, null);
        }
        var rest = topic[own.Length..];
        switch (rest)
        {
            case "thing/config/get":
                return (DeviceMessageKind.ConfigGet, null);
            case "thing/config/push_reply":
                return (DeviceMessageKind.PushReply, null);
            case "thing/event/property/post":
                return (DeviceMessageKind.Property, null);
        }
        const string eventPrefix = "thing/event/";
        if (rest.StartsWith(eventPrefix, StringComparison.Ordinal) && rest.EndsWith("/post", StringComparison.Ordinal)
            && rest.Length > eventPrefix.Length + 5)
        {
            var identifier = rest[eventPrefix.Length..^5];
            if (!identifier.Contains('/'))
            {
                return (identifier == _settings.ResultEventIdentifier ? DeviceMessageKind.Result : DeviceMessageKind.Event,
                    identifier);
            }
        }
        return (DeviceMessageKind.Other, null);
    }

    private async Task AnswerGetAsync(ConnectedDevice device, string? id, JsonElement? request)
    {
        var code = 200;
        var message = "success";
        if (request is null)
        {
            code = CodeBadRequest;
            message = "request parameter error";
        }
        else if (request.Value.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object
                 && ((p.TryGetProperty("configScope", out var scope) && scope.ValueKind == JsonValueKind.String
                      && scope.GetString() != "product")
                     || (p.TryGetProperty("getType", out var type) && type.ValueKind == JsonValueKind.String
                         && type.GetString() != "file")))
        {
            code = CodeBadRequest;
            message = "configScope must be product and getType file";
        }
        var config = code == 200 ? _registry.CurrentConfig(device.ProductKey) : null;
        if (code == 200 && config is null)
        {
            code = CodeNoData;
            message = "no data";
        }
        if (config != null)
        {
            _registry.RecordOffer(device.ProductKey, device.DeviceName, config.ConfigId);
        }
        var payload = Json(json =>
        {
            WriteId(json, id);
            json.WriteString("version", "1.0");
            json.WriteNumber("code", code);
            json.WriteStartObject("data");
            if (config != null)
            {
                WriteConfigFields(json, config, DownloadUrl(config, device.DeviceName));
            }
            json.WriteEndObject();
            if (code != 200)
            {
                json.WriteString("message", message);
            }
            json.WriteString("method", "thing.config.get");
        });
        await _broker.PublishAsync(Topic(device.ProductKey, device.DeviceName, "thing/config/get_reply"), payload);
        if (config != null)
        {
            _history.Add(new FleetEvent(DateTimeOffset.UtcNow, device.ProductKey, device.DeviceName, config.ConfigId,
                RolloutStage.Offered, 0, config.Size));
        }
        if (code != 200)
        {
            Note("get from " + device.ProductKey + "/" + device.DeviceName + " answered " + code + " (" + message + ")");
        }
    }

    // A result speaks only for a config of the sender's product that the sender was offered; any other is kept
    // among the messages but changes no rollout.
    private bool Admits(DeviceMessage message)
    {
        if (ResultReport.From(message) is not { } report)
        {
            return true;
        }
        var config = _registry.FindConfig(report.ConfigId);
        string? problem = config is null ? "no such config"
            : config.ProductKey != message.ProductKey ? "a config of another product"
            : !_registry.WasOffered(message.ProductKey, message.DeviceName, config.ConfigId) ? "a config it was not offered"
            : null;
        if (problem is null)
        {
            return true;
        }
        Note("ignored a result of " + message.ProductKey + "/" + message.DeviceName + " for " + report.ConfigId + ": " + problem);
        return false;
    }

    // Records the result's stage and applies the rollout rule (DeviceRegistry.CurrentConfig): the config is refused
    // once the refusals among its results reach its threshold.
    private void Judge(DeviceMessage message)
    {
        var report = ResultReport.From(message);
        if (report is null)
        {
            _history.Touch();
            return;
        }
        var config = _registry.FindConfig(report.ConfigId);
        var stage = report.Status switch
        {
            ResultReport.Applied => RolloutStage.Applied,
            ResultReport.RolledBack => RolloutStage.RolledBack,
            _ => RolloutStage.Rejected,
        };
        _history.Add(new FleetEvent(message.Time, message.ProductKey, message.DeviceName, report.ConfigId, stage,
            0, config?.Size ?? 0));
        if (config is null || config.Rejection != null)
        {
            return;
        }
        var (results, refusals) = Tally(config);
        if (config.HaltsAt.IsReached(results, refusals) && _registry.MarkRejected(config.ConfigId,
                new ConfigRejection(message.Time, message.DeviceName, report.Status, report.Errors.Concat(report.Details).ToArray())))
        {
            Note("config " + config.ConfigId + " is refused (" + refusals + " of " + results + " results refuse it, the last "
                + report.Status + " by " + message.DeviceName + "; rollout " + config.HaltsAt + "): devices are no longer offered it");
        }
    }

    // Devices whose latest result on the config since its publication says something about the config, and how many
    // of those refuse it.
    private (int Results, int Refusals) Tally(ConfigFile config)
    {
        int results = 0;
        int refusals = 0;
        foreach (var device in _registry.Devices)
        {
            if (device.ProductKey != config.ProductKey)
            {
                continue;
            }
            var kept = _registry.CotaState(device.ProductKey, device.DeviceName).Results;
            for (int i = kept.Count - 1; i >= 0 && kept[i].Time >= config.OfferedAt; i--)
            {
                if (ResultReport.From(kept[i]) is { } r && r.ConfigId == config.ConfigId
                    && (r.RefusesConfig || r.Status == ResultReport.Applied))
                {
                    results++;
                    refusals += r.RefusesConfig ? 1 : 0;
                    break;
                }
            }
        }
        return (results, refusals);
    }

    private async Task AckAsync(ConnectedDevice device, string topic, string? id, JsonElement? request, string? method)
    {
        if (request is { } r && r.TryGetProperty("sys", out var sys) && sys.ValueKind == JsonValueKind.Object
            && sys.TryGetProperty("ack", out var ack) && ack.ValueKind == JsonValueKind.Number && ack.GetInt32() == 0)
        {
            return;
        }
        if (method is null && request is { } req && req.TryGetProperty("method", out var m)
            && m.ValueKind == JsonValueKind.String)
        {
            method = m.GetString();
        }
        var ok = request is not null;
        var payload = Json(json =>
        {
            json.WriteNumber("code", ok ? 200 : CodeBadRequest);
            json.WriteStartObject("data");
            json.WriteEndObject();
            WriteId(json, id);
            json.WriteString("message", ok ? "success" : "request parameter error");
            if (method != null)
            {
                json.WriteString("method", method);
            }
            json.WriteString("version", "1.0");
        });
        await _broker.PublishAsync(topic + "_reply", payload);
    }

    private void Record(DeviceMessage message)
    {
        List<Waiter> done = new();
        lock (_gate)
        {
            _messages.Add(message);
            foreach (var w in _waiters)
            {
                if (message.Sequence > w.After && w.Match(message))
                {
                    done.Add(w);
                }
            }
        }
        foreach (var w in done)
        {
            w.Done.TrySetResult(message);
        }
    }

    /// <summary>Writes <c>id</c> as the device sent it (a JSON string or number), as the platform echoes it.</summary>
    internal static void WriteId(Utf8JsonWriter json, string? rawId)
    {
        json.WritePropertyName("id");
        if (rawId is null)
        {
            json.WriteStringValue("");
        }
        else
        {
            json.WriteRawValue(rawId);
        }
    }

    /// <summary>One JSON object, its members written by <paramref name="body"/>.</summary>
    internal static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Topic(string productKey, string deviceName, string rest) =>
        "/sys/" + productKey + "/" + deviceName + "/" + rest;

    private void Note(string text) => _settings.Log?.Invoke("cota: " + text);

    private sealed class Waiter
    {
        public Waiter(Func<DeviceMessage, bool> match, long after)
        {
            Match = match;
            After = after;
        }

        public Func<DeviceMessage, bool> Match { get; }

        public long After { get; }

        public TaskCompletionSource<DeviceMessage> Done { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
