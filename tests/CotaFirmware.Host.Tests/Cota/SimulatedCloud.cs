using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CotaFirmware.App;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;

namespace CotaFirmware.HostTests.Cota;

/// <summary>
/// Alibaba's side of COTA for one device, in memory and single-threaded: configs published with a new configId each,
/// pushes, answers to thing.config.get, replies to result events, the file server, and a broker that can be down, lose
/// or duplicate messages. It hands out an <see cref="IMqttSession"/> per boot and an <see cref="IHttpClient"/>.
/// </summary>
/// <remarks>
/// These are a cloud's, not the scripted doubles (<see cref="ScriptedMqttSession"/>, <see cref="ScriptedHttpClient"/>),
/// because they answer from the cloud's state at the moment of each call: a publish is handled as it is made (the
/// device's power and message loss judged then, answers queued for the next Yield); a connect asks whether the broker
/// is up, the device reachable and its boot current; a download serves the config its URL names (404 for another) and
/// is logged for the lifecycle property's checks. The scripted doubles replay what a test queued.
/// </remarks>
public sealed class SimulatedCloud
{
    public const string Prefix = "/sys/pk1/dn1/";
    public const string UrlPrefix = "https://oss.example/cfg/";

    private readonly Dictionary<string, byte[]> _files = new();
    private readonly Random _random;
    private Session? _session;
    private int _configs;
    private int _requestIds = 100;

    public SimulatedCloud(int seed) => _random = new Random(seed);

    /// <summary>The broker accepts connections.</summary>
    public bool Online { get; set; } = true;

    /// <summary>Also needed for a connection (for example: the device's Wi-Fi is up); null when always true.</summary>
    public Func<bool>? DeviceReachable { get; set; }

    /// <summary>False while the device has no power: nothing it sends gets out; null when always powered.</summary>
    public Func<bool>? DevicePowered { get; set; }

    /// <summary>Configs offered with signMethod Md5 (which the device refuses).</summary>
    public HashSet<string> Md5Signed { get; } = new();

    /// <summary>Configs offered with a URL so long that the push or get_reply exceeds <see cref="ReceiveLimit"/>.</summary>
    public HashSet<string> LongUrl { get; } = new();

    /// <summary>The device's MQTT receive buffer: a longer message reaches it as an oversize notice with the prefix that fit; 0 for no limit.</summary>
    public int ReceiveLimit { get; set; }

    /// <summary>A counter of everything that happens at the cloud, to order downloads and results.</summary>
    public int Clock { get; private set; }

    /// <summary>When each download request arrived (<see cref="Clock"/>), per configId.</summary>
    public List<(string ConfigId, int At)> DownloadLog { get; } = new();

    /// <summary>The cloud answers thing.config.get (a plain broker does not).</summary>
    public bool AnswersGet { get; set; } = true;

    /// <summary>The cloud replies to events (a plain broker does not).</summary>
    public bool RepliesToEvents { get; set; } = true;

    /// <summary>Probability that a message to the device is lost, and that one is delivered twice.</summary>
    public double LoseToDevice { get; set; }

    public double DuplicateToDevice { get; set; }

    /// <summary>
    /// Probability that a message from the device is lost: as over TCP, only with the connection (the publish succeeds
    /// on the device, and the connection breaks before anything else gets through).
    /// </summary>
    public double LoseFromDevice { get; set; }

    /// <summary>The configId the cloud answers thing.config.get with (the newest published), or null.</summary>
    public string? Current { get; private set; }

    /// <summary>Every result event that reached the cloud, in order: configId, status, reason, seq, the params JSON, and when (<see cref="Clock"/>).</summary>
    public List<(string ConfigId, string Status, string? Reason, long Seq, string Json, int At)> Results { get; } = new();

    /// <summary>Every push_reply: the push id and code.</summary>
    public List<(string Id, int Code)> PushReplies { get; } = new();

    /// <summary>Download requests per configId.</summary>
    public Dictionary<string, int> Downloads { get; } = new();

    /// <summary>How many thing.config.get requests arrived.</summary>
    public int Gets { get; private set; }

    /// <summary>The session of the current boot.</summary>
    public Session? DeviceSession => _session;

    public bool DeviceConnected => _session is { IsConnected: true };

    /// <summary>Publishes <paramref name="content"/> under a new configId and makes it current; returns the configId.</summary>
    public string Publish(byte[] content)
    {
        string id = "cfg" + (++_configs).ToString("D3");
        _files[id] = content;
        Current = id;
        return id;
    }

    /// <summary>Publishes <paramref name="content"/> as <paramref name="configId"/> (a file the cloud serves), without making it current.</summary>
    public void Serve(string configId, byte[] content) => _files[configId] = content;

    public byte[] FileOf(string configId) => _files[configId];

    /// <summary>The params of a push or get_reply for <paramref name="configId"/>.</summary>
    public string FieldsOf(string configId)
    {
        byte[] file = _files[configId];
        return "\"configId\":\"" + configId + "\",\"configSize\":" + file.Length + ",\"sign\":\"" + Convert.ToHexString(SHA256.HashData(file))
            + "\",\"signMethod\":\"" + (Md5Signed.Contains(configId) ? "Md5" : "Sha256") + "\",\"url\":\""
            + UrlPrefix + configId + "?Expires=1&Signature=x"
            + (LongUrl.Contains(configId) ? "&pad=" + new string('p', 2 * ReceiveLimit) : "") + "\",\"getType\":\"file\"";
    }

    /// <summary>Pushes <paramref name="configId"/> to the device if it is connected (subject to loss); returns the push id.</summary>
    public string Push(string configId)
    {
        string id = (++_requestIds).ToString();
        ToDevice("thing/config/push", "{\"id\":\"" + id + "\",\"version\":\"1.0\",\"params\":{" + FieldsOf(configId) + "},\"method\":\"thing.config.push\"}");
        return id;
    }

    /// <summary>Sends any message to the device (subject to loss and duplication).</summary>
    public void ToDevice(string suffix, string payload)
    {
        if (_session is not { IsConnected: true } || _random.NextDouble() < LoseToDevice)
        {
            return;
        }

        _session.Inbox.Enqueue((Prefix + suffix, Encoding.UTF8.GetBytes(payload)));
        if (_random.NextDouble() < DuplicateToDevice)
        {
            _session.Inbox.Enqueue((Prefix + suffix, Encoding.UTF8.GetBytes(payload)));
        }
    }

    /// <summary>Cuts the device's connection (the broker side goes away).</summary>
    public void Drop() => _session?.Drop();

    /// <summary>A session for a new boot of the device.</summary>
    public Session NewSession()
    {
        _session?.Retire();
        _session = new Session(this);
        return _session;
    }

    /// <summary>The file server.</summary>
    public IHttpClient Http() => new Files(this);

    /// <summary>A boot of the device this cloud serves: its board (this cloud's next session and file server, managed
    /// HMAC) over the given flash, reboot, clock and log.</summary>
    public DeviceBoard Board(IStorage flash, IReboot reboot, IClock clock, ILog log, int seed) => new()
    {
        Session = NewSession(), Http = Http(), Storage = flash, Reboot = reboot, Clock = clock, Log = log,
        Mac = new CotaFirmware.Crypto.ManagedMac(), Seed = seed,
    };

    /// <summary>The settings of pk1/dn1, the device this cloud serves: no idle sleep and no start jitter, the rest as shipped.</summary>
    public static DeviceSettings Settings()
    {
        var settings = new DeviceSettings(new DeviceIdentity("pk1", "dn1", "s3cretDeviceKey0123456789abcdef0", null)) { IdleYieldMs = 0 };
        settings.Cota.StartJitterMs = 0;
        return settings;
    }

    private void FromDevice(string topic, byte[] payload)
    {
        Clock++;
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal) || (DevicePowered != null && !DevicePowered()) || _session!.Breaking)
        {
            return;
        }

        if (_random.NextDouble() < LoseFromDevice)
        {
            _session.Breaking = true;
            return;
        }

        string suffix = topic[Prefix.Length..];
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        switch (suffix)
        {
            case "thing/config/get":
                Gets++;
                if (AnswersGet)
                {
                    string id = root.GetProperty("id").GetString()!;
                    ToDevice("thing/config/get_reply", Current == null
                        ? "{\"id\":\"" + id + "\",\"code\":6710,\"data\":{},\"message\":\"no data\"}"
                        : "{\"id\":\"" + id + "\",\"version\":\"1.0\",\"code\":200,\"data\":{" + FieldsOf(Current) + "}}");
                }

                break;
            case "thing/config/push_reply":
                PushReplies.Add((root.TryGetProperty("id", out var pid) ? pid.ToString() : "", root.GetProperty("code").GetInt32()));
                break;
            case "thing/event/ConfigResult/post":
                var p = root.GetProperty("params");
                Results.Add((p.GetProperty("configId").GetString()!, p.GetProperty("status").GetString()!,
                    p.TryGetProperty("reason", out var r) ? r.GetString() : null, p.GetProperty("seq").GetInt64(), p.GetRawText(), Clock));
                if (RepliesToEvents)
                {
                    ToDevice(suffix + "_reply", "{\"id\":\"" + root.GetProperty("id").GetString() + "\",\"code\":200,\"data\":{}}");
                }

                break;
        }
    }

    /// <summary>The device's MQTT session of one boot.</summary>
    public sealed class Session : IMqttSession
    {
        private readonly SimulatedCloud _cloud;
        private IMqttSessionListener? _listener;
        private bool _retired;

        public Session(SimulatedCloud cloud) => _cloud = cloud;

        public Queue<(string Topic, byte[] Payload)> Inbox { get; } = new();

        public bool IsConnected { get; private set; }

        /// <summary>The connection is breaking: nothing more gets through, and the next Yield notices the loss.</summary>
        public bool Breaking { get; set; }

        public void SetListener(IMqttSessionListener listener) => _listener = listener;

        public MqttStatus Connect(ConnectionCredentials credentials, int timeoutMs)
        {
            if (_retired || !_cloud.Online || (_cloud.DeviceReachable != null && !_cloud.DeviceReachable()))
            {
                return MqttStatus.ChannelFailed;
            }

            Inbox.Clear();
            Breaking = false;
            IsConnected = true;
            return MqttStatus.Ok;
        }

        public MqttStatus Subscribe(string topic, int qos) => IsConnected ? MqttStatus.Ok : MqttStatus.NotConnected;

        public MqttStatus Publish(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount, int qos)
        {
            if (!IsConnected)
            {
                return MqttStatus.NotConnected;
            }

            _cloud.FromDevice(Encoding.UTF8.GetString(topic, topicOffset, topicCount), payload.AsSpan(payloadOffset, payloadCount).ToArray());
            return MqttStatus.Ok;
        }

        public void Yield(int timeoutMs)
        {
            if (IsConnected && (!_cloud.Online || Breaking))
            {
                Drop();
                return;
            }

            // Only what is queued now: answers to what the device sends meanwhile come at the next Yield.
            for (int n = Inbox.Count; n > 0 && IsConnected; n--)
            {
                var (topic, payload) = Inbox.Dequeue();
                byte[] t = Encoding.UTF8.GetBytes(topic);
                if (_cloud.ReceiveLimit > 0 && payload.Length > _cloud.ReceiveLimit)
                {
                    _listener?.OnOversize(t, 0, t.Length, payload.Length, payload, 0, _cloud.ReceiveLimit);
                }
                else
                {
                    _listener?.OnMessage(t, 0, t.Length, payload, 0, payload.Length);
                }
            }
        }

        public void Disconnect()
        {
            IsConnected = false;
            Inbox.Clear();
        }

        public void Drop()
        {
            if (!IsConnected)
            {
                return;
            }

            IsConnected = false;
            Inbox.Clear();
            _listener?.OnConnectionLost(MqttStatus.ChannelFailed);
        }

        public void Retire()
        {
            _retired = true;
            IsConnected = false;
            Inbox.Clear();
        }
    }

    /// <summary>Serves <c>UrlPrefix + configId</c> with Range support.</summary>
    private sealed class Files : IHttpClient
    {
        private readonly SimulatedCloud _cloud;
        private byte[]? _body;
        private int _position;

        public Files(SimulatedCloud cloud) => _cloud = cloud;

        public long ContentLength { get; private set; } = -1;

        public long ContentRangeStart { get; private set; } = -1;

        public long ContentRangeTotal { get; private set; } = -1;

        public int Get(string url, long rangeStart, int timeoutMs)
        {
            string id = url[UrlPrefix.Length..url.IndexOf('?')];
            _cloud.Downloads[id] = _cloud.Downloads.GetValueOrDefault(id) + 1;
            _cloud.DownloadLog.Add((id, ++_cloud.Clock));
            if (!_cloud._files.TryGetValue(id, out var file))
            {
                return 404;
            }

            _body = file;
            _position = (int)rangeStart;
            ContentLength = file.Length - rangeStart;
            ContentRangeStart = rangeStart > 0 ? rangeStart : -1;
            ContentRangeTotal = rangeStart > 0 ? file.Length : -1;
            return rangeStart > 0 ? 206 : 200;
        }

        public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs) => (int)HttpStatus.Unreachable;

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (_body == null)
            {
                return (int)HttpStatus.Broken;
            }

            int n = Math.Min(count, _body.Length - _position);
            Array.Copy(_body, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public void Close() => _body = null;
    }
}
