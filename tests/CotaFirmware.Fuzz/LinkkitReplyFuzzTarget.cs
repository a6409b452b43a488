using System.Text;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
using CotaFirmware.Tests;
using CotaFirmware.Tests.Linkkit;
using CotaFirmware.Tests.Platform;

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

    private readonly ScriptedMqttSession _session = new() { KeepsPublished = false };
    private readonly Ends _ends = new();
    private readonly LinkkitDevice _device;

    public LinkkitReplyFuzzTarget()
    {
        var options = new LinkkitSettings { MaxPendingRequests = 4 };
        _device = LinkkitDevice.Open(new DeviceIdentity("pk1", "dn1", "secret", null), options, _session, new RecordingMac(), new ManualClock(1, 1), new RecordingLog { KeepsLines = false }, 1);
        _device.DefineRequest("thing/config/get", "thing.config.get");
        _device.Route("thing/config/push", new Pushes());
        _device.Connect();
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
        if (random.Next(4) == 0)
        {
            _session.DeliverOversize(topic, payload.Length + random.Next(1, 5000), payload);
        }
        else
        {
            _session.Deliver(topic, payload);
        }

        if (_device.WaitingRequests > 4 || _ends.Sent - _ends.Ended != _device.WaitingRequests)
        {
            throw new InvalidOperationException("pending table out of step: " + _device.WaitingRequests + " pending, " + (_ends.Sent - _ends.Ended) + " unanswered");
        }
    }

    private void RunRegistration(Random random)
    {
        string valid = "{\"code\":200,\"data\":{\"productKey\":\"pk1\",\"deviceName\":\"dn1\",\"deviceSecret\":\"abcDEF123\"}}";
        // A fresh flash each time, so every run registers rather than reusing a secret an earlier run stored.
        var http = new ScriptedHttpClient(Mutate(random, Encoding.UTF8.GetBytes(valid)));
        var registration = new DeviceRegistration(http, new MemoryStorage(), new RecordingMac(), new Random(1), new RecordingLog(), new ManualClock());
        var identity = new DeviceIdentity("pk1", "dn1", null, "productSecret");
        RegistrationResult r = registration.Register(identity, new LinkkitSettings());
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
}
