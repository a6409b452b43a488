using System.Text;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;
using CotaFirmware.Platform;

namespace CotaFirmware.Fuzz;

/// <summary>
/// Mutated and random replies and pushes (whole, or as the prefix of an oversize message) into a connected
/// <see cref="LinkkitDevice"/>, and mutated registration
/// replies into <see cref="DeviceRegistration"/>. Contract: nothing throws; every request ends exactly once; the
/// pending table never holds more than its size; a secret is set only when registration says Registered.
/// </summary>
public sealed class LinkkitReplyFuzzTarget : IFuzzTarget
{
    private const string Punctuation = "{}[]\",:\\0-eE.tfnu";

    private static readonly string[] Topics =
    {
        "/sys/pk1/dn1/thing/event/property/post_reply", "/sys/pk1/dn1/thing/config/push", "/sys/pk1/dn1/thing/config/get_reply",
        "/sys/pk1/dn1/", "/sys/pk1/dn1/thing/event/property/post", "/x",
    };

    private readonly Session _session = new();
    private readonly Ends _ends = new();
    private readonly LinkkitDevice _device;
    private readonly Http _http = new();
    private readonly DeviceRegistration _registration;

    public LinkkitReplyFuzzTarget()
    {
        var options = new LinkkitSettings { MaxPendingRequests = 4 };
        _device = LinkkitDevice.Open(new DeviceIdentity("pk1", "dn1", "secret", null), options, _session, new Mac(), new Clock(), new Log(), 1);
        _device.DefineRequest("thing/config/get", "thing.config.get");
        _device.Route("thing/config/push", new Pushes());
        _device.Connect();
        _registration = new DeviceRegistration(_http, new Storage(), new Mac(), new Random(1), new Log());
    }

    public string Name => "linkkit-reply";

    public void RunOne(Random random, long iteration)
    {
        if (random.Next(8) == 0)
        {
            RunRegistration(random);
            return;
        }

        if (random.Next(3) == 0)
        {
            int id = _device.Report(null, _ends);
            if (id > 0)
            {
                _ends.Sent++;
            }
        }

        string topic = Topics[random.Next(Topics.Length)];
        string valid = "{\"id\":\"" + (_device.LastRequestId - random.Next(3)) + "\",\"code\":" + random.Next(-1, 7000) + ",\"data\":{\"configId\":\"c\",\"n\":[1,2.5,true,null]},\"message\":\"m\\u00e9\"}";
        byte[] payload = Mutate(random, Encoding.UTF8.GetBytes(valid));
        byte[] topicBytes = Encoding.ASCII.GetBytes(topic);
        if (random.Next(4) == 0)
        {
            _session.Listener!.OnOversize(topicBytes, 0, topicBytes.Length, payload.Length + random.Next(1, 5000), payload, 0, payload.Length);
        }
        else
        {
            _session.Listener!.OnMessage(topicBytes, 0, topicBytes.Length, payload, 0, payload.Length);
        }

        if (_device.PendingRequests > 4 || _ends.Sent - _ends.Ended != _device.PendingRequests)
        {
            throw new InvalidOperationException("pending table out of step: " + _device.PendingRequests + " pending, " + (_ends.Sent - _ends.Ended) + " unanswered");
        }
    }

    private void RunRegistration(Random random)
    {
        string valid = "{\"code\":200,\"data\":{\"productKey\":\"pk1\",\"deviceName\":\"dn1\",\"deviceSecret\":\"abcDEF123\"}}";
        _http.Body = Mutate(random, Encoding.UTF8.GetBytes(valid));
        var identity = new DeviceIdentity("pk1", "dn1", null, "productSecret");
        RegistrationResult r = _registration.Register(identity, new LinkkitSettings());
        if ((r == RegistrationResult.Registered) != (identity.DeviceSecret != null) || (identity.DeviceSecret != null && !DeviceIdentity.IsSecret(identity.DeviceSecret)))
        {
            throw new InvalidOperationException("registration result " + r + " disagrees with the secret");
        }
    }

    private static byte[] Mutate(Random random, byte[] input)
    {
        if (random.Next(10) == 0)
        {
            var noise = new byte[random.Next(0, 80)];
            random.NextBytes(noise);
            return noise;
        }

        var bytes = new List<byte>(input);
        int edits = random.Next(0, 4);
        for (int i = 0; i < edits && bytes.Count > 0; i++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)Punctuation[random.Next(Punctuation.Length)]); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }

        return bytes.ToArray();
    }

    private sealed class Ends : IReplyHandler
    {
        public long Sent, Ended;

        public void OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, int size, byte[] data, int offset, int count) => Ended++;
    }

    private sealed class Pushes : ITopicHandler
    {
        public void OnTopicMessage(LinkkitDevice device, int topic, byte[] payload, int offset, int count)
        {
        }

        public void OnTopicOversize(LinkkitDevice device, int topic, int size, byte[] prefix, int offset, int count)
        {
        }
    }

    private sealed class Session : IMqttSession
    {
        public IMqttSessionListener? Listener;

        public bool IsConnected => true;

        public void SetListener(IMqttSessionListener listener) => Listener = listener;

        public MqttStatus Connect(ConnectionCredentials credentials, int timeoutMs) => MqttStatus.Ok;

        public MqttStatus Subscribe(string topic, int qos) => MqttStatus.Ok;

        public MqttStatus Publish(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount, int qos) => MqttStatus.Ok;

        public void Yield(int timeoutMs)
        {
        }

        public void Disconnect()
        {
        }
    }

    private sealed class Mac : IMac
    {
        public int Compute(MacMethod method, byte[] key, int keyOffset, int keyCount, byte[] message, int messageOffset, int messageCount, byte[] output, int outputOffset) => 32;
    }

    private sealed class Clock : IClock
    {
        public long MonotonicMs => 1;

        public long UnixTimeMs => 1;

        public void Wait(int ms)
        {
            // Time stands still: fuzzing never waits.
        }
    }

    private sealed class Log : ILog
    {
        public void Write(LogLevel level, string area, string message)
        {
        }
    }

    private sealed class Http : IHttpClient
    {
        public byte[] Body = Array.Empty<byte>();
        private int _read;

        public long ContentLength => Body.Length;

        public long ContentRangeStart => -1;

        public int Get(string url, long rangeStart, int timeoutMs) => (int)HttpStatus.BadUrl;

        public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs)
        {
            _read = 0;
            return 200;
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = Math.Min(count, Body.Length - _read);
            Array.Copy(Body, _read, buffer, offset, n);
            _read += n;
            return n;
        }

        public void Close()
        {
        }
    }

    private sealed class Storage : IStorage
    {
        public int Length(string name) => -1;

        public int Read(string name, int position, byte[] buffer, int offset, int count) => (int)StorageStatus.NotFound;

        public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count) => StorageStatus.Ok;

        public StorageStatus Truncate(string name, int length) => StorageStatus.Ok;

        public StorageStatus Delete(string name) => StorageStatus.Ok;
    }
}
