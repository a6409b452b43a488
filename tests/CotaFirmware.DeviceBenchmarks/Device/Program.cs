using System;
using System.Collections;
using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Crypto;
using CotaFirmware.Json;
using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
using CotaFirmware.Tests;
using CotaFirmware.Tests.Cota;
using CotaFirmware.Tests.Platform;
using CotaFirmware.Text;
using nanoFramework.Json;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace CotaFirmware.DeviceBenchmarks
{
    /// <summary>
    /// The core's hot paths timed on the device's interpreter, each beside a nanoFramework peer where one exists; the
    /// host (tests/CotaFirmware.DeviceBenchmarks) builds the table from the lines printed here.
    /// </summary>
    public static class Program
    {
        private const int KiB = 1024;

        /// <summary>Runs every benchmark once and prints "[bench] done".</summary>
        public static void Main()
        {
            Bench.Clock();
            Floor();
            Crypto();
            JsonReading();
            Push();
            BootReadBack();
            Mqtt(0);
            Mqtt(1);
            CotaCycle();
            Utf8Text();
            Console.WriteLine(Bench.Prefix + "done");
        }

        // The interpreter's floor: a loop that reads each byte once, the least any per-byte work costs here.
        private static void Floor()
        {
            byte[] data = new byte[64 * KiB];
            Bench.Time("floor-64k", () =>
            {
                int sum = 0;
                for (int i = 0; i < data.Length; i++)
                {
                    sum += data[i];
                }

                return sum == 0 ? data.Length : -1;
            }, 1);
        }

        private static void Crypto()
        {
            byte[] data = new byte[64 * KiB];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (byte)(i * 31 + (i >> 9));
            }

            Sha256 sha = new Sha256();
            byte[] digest = new byte[Sha256.DigestLength];
            Bench.Time("sha256-64k", () =>
            {
                sha.Reset();
                sha.Update(data, 0, data.Length);
                sha.Final(digest, 0);
                return data.Length;
            }, 1);

            // The LinkKit connection sign string and a 32-character device secret.
            byte[] message = Utf8.GetBytes("clientIda1B2c3D4e5F.device-0001|securemode=2,signmethod=hmacsha256,timestamp=1790000000000|deviceNamedevice-0001productKeya1B2c3D4e5Ftimestamp1790000000000");
            byte[] secret = Utf8.GetBytes("0123456789abcdef0123456789abcdef");
            ManagedMac mac = new ManagedMac();
            byte[] sign = new byte[32];
            Bench.Time("hmac-sign", () => mac.Compute(MacMethod.HmacSha256, secret, 0, secret.Length, message, 0, message.Length, sign, 0), 1);
        }

        private static void JsonReading()
        {
            JsonReader inMemory = new JsonReader(null);
            JsonReader windowed = new JsonReader(new byte[512]);
            MemoryStorage storage = new MemoryStorage();
            AreaSource source = new AreaSource();
            int[] sizes = { 1, 16, 64 };
            for (int k = 0; k < sizes.Length; k++)
            {
                string size = sizes[k].ToString() + "k";
                byte[] config = Documents.Config(sizes[k] * KiB, false);
                Bench.Note("config-" + size, config.Length);
                Bench.Time("json-" + size, () =>
                {
                    inMemory.Begin(config, 0, config.Length);
                    return Walk(inMemory);
                }, 1);

                storage.Write("config-" + size, 0, config, 0, config.Length);
                string area = "config-" + size;
                Bench.Time("json-window-" + size, () =>
                {
                    source.Open(storage, area);
                    windowed.Begin(source);
                    return Walk(windowed);
                }, 1);

                string text = Utf8.GetString(config, 0, config.Length);
                Bench.Time("peer-json-" + size, () => JsonConvert.DeserializeObject(text, typeof(Hashtable)) == null ? 0 : 1, 1);
            }

            byte[] escaped = Documents.Config(16 * KiB, true);
            Bench.Note("config-escaped-16k", escaped.Length);
            Bench.Time("json-escaped-16k", () =>
            {
                inMemory.Begin(escaped, 0, escaped.Length);
                return Walk(inMemory);
            }, 1);
            string escapedText = Utf8.GetString(escaped, 0, escaped.Length);
            Bench.Time("peer-json-escaped-16k", () => JsonConvert.DeserializeObject(escapedText, typeof(Hashtable)) == null ? 0 : 1, 1);
        }

        private static void Push()
        {
            ConfigMessage message = new ConfigMessage(2048);
            bool[] escapes = { false, true };
            for (int k = 0; k < escapes.Length; k++)
            {
                string key = escapes[k] ? "push-escaped" : "push";
                byte[] push = Documents.Push(escapes[k]);
                Bench.Note(key, push.Length);
                Bench.Time(key, () => message.ParsePush(push, 0, push.Length, 1 << 20) == CotaStatus.Ok ? push.Length : -1, 1);
                string text = Utf8.GetString(push, 0, push.Length);
                Bench.Time("peer-" + key, () =>
                {
                    PushDocument document = (PushDocument)JsonConvert.DeserializeObject(text, typeof(PushDocument));
                    return document.@params.url.Length;
                }, 1);
            }
        }

        // Boot's check of the active config against its SHA-256 (read back from flash), then every token of it through
        // the 512-byte window, as the applier reads it.
        private static void BootReadBack()
        {
            byte[] config = Documents.Config(64 * KiB, false);
            MemoryStorage storage = new MemoryStorage();
            ConfigStore store = new ConfigStore(storage, new byte[512], 64 * KiB, 3);
            store.Boot();
            byte[] id = Utf8.GetBytes("c-1");
            store.Begin(id, 0, id.Length, config.Length);
            for (int done = 0; done < config.Length; done += 4096)
            {
                store.Append(config, done, config.Length - done < 4096 ? config.Length - done : 4096);
            }

            while (store.Seal(null, 0) == ConfigStatus.InProgress)
            {
            }

            store.Commit(false);
            Bench.Time("boot-verify-64k", () => store.Boot() == ConfigStatus.Ok && store.ActiveLength == config.Length ? config.Length : -1, 1);
            ConfigReader reader = new ConfigReader();
            JsonReader json = new JsonReader(new byte[512]);
            Bench.Time("boot-verify-read-64k", () =>
            {
                if (store.Boot() != ConfigStatus.Ok || store.OpenActive(reader) != ConfigStatus.Ok)
                {
                    return -1;
                }

                json.Begin(reader);
                return Walk(json);
            }, 1);
        }

        // 1,000 publishes of about 200 bytes, replayed from memory: the core client (its receive loop, framing,
        // dispatch and, at QoS 1, the PUBACK) against M2Mqtt's PUBLISH decoder alone.
        private static void Mqtt(int qos)
        {
            const int Count = 1000;
            const string Topic = "/sys/a1B2c3D4e5F/device-0001/thing/service/property/set";
            byte[] payload = Utf8.GetBytes("{\"id\":\"1790000000123\",\"version\":\"1.0\",\"params\":{\"LightSwitch\":1,\"Brightness\":73,\"ColorTemperature\":4200,\"Mode\":\"auto\"},\"method\":\"thing.service.property.set\"}");
            int frame = MqttCodec.PublishSize(Utf8.GetBytes(Topic).Length, payload.Length, qos);
            byte[] stream = new byte[Count * frame];
            for (int i = 0; i < Count; i++)
            {
                MqttCodec.WritePublish(stream, i * frame, Topic, payload, 0, payload.Length, qos, false, false, qos == 0 ? 0 : 1 + i);
            }

            Bench.Note("mqtt-frame", frame);
            MqttClientSettings settings = new MqttClientSettings();
            ReplayChannel channel = new ReplayChannel();
            CotaFirmware.Mqtt.MqttClient client = new CotaFirmware.Mqtt.MqttClient(channel, new ManualClock(), settings);
            int received = 0;
            client.MessageReceived = m => received += m.PayloadCount == payload.Length ? 1 : 0;
            channel.Replay(new byte[] { 0x20, 2, 0, 0 });
            if (client.Connect(new MqttConnectInfo { ClientId = "device-0001", Username = "user", Password = "password", KeepAliveSeconds = 60, CleanSession = true }, 1000) != MqttStatus.Ok)
            {
                Console.WriteLine(Bench.Prefix + "mqtt-qos" + qos + " failed connect");
                return;
            }

            Bench.Time("mqtt-qos" + qos, () =>
            {
                received = 0;
                channel.Replay(stream);
                while (channel.DataAvailable && client.Yield(0) == MqttStatus.Ok)
                {
                }

                return received == Count ? Count : -received;
            }, 1);

            byte[] first = new byte[1];
            Bench.Time("peer-mqtt-qos" + qos, () =>
            {
                int n = 0;
                channel.Replay(stream);
                while (channel.DataAvailable)
                {
                    channel.Receive(first);
                    MqttMsgPublish message = MqttMsgPublish.Parse(first[0], MqttProtocolVersion.Version_3_1_1, channel);
                    n += message.Message.Length == payload.Length ? 1 : 0;
                }

                return n == Count ? Count : -n;
            }, 1);
        }

        // A push, the 64 KiB download, its check against the pushed SHA-256, the A/B store, the apply on trial, the
        // confirmation and the result event, through the test rig's fakes (each push a new configId).
        private static void CotaCycle()
        {
            ByteText text = new ByteText().Ascii("{\"a\":{\"v\":7");
            for (int i = 0; text.Length < 64 * KiB - 24; i++)
            {
                text.Ascii(",\"p").Number(i).Ascii("\":0");
            }

            while (text.Length < 64 * KiB - 2)
            {
                text.Ascii(" ");
            }

            byte[] file = text.Ascii("}}").ToArray();
            CotaRig rig = CotaRig.Connected(file);

            // Everything after the configId is the same in every push: built (and signed) once, outside the timing.
            string sample = CotaRig.Fields("x", file);
            string rest = sample.Substring("\"configId\":\"x\"".Length);
            int cycle = 0;
            Bench.Time("cota-cycle-64k", () =>
            {
                cycle++;
                rig.Push(CotaRig.PushOf("\"" + cycle.ToString() + "\"", "\"configId\":\"cfg-" + cycle.ToString() + "\"" + rest));
                rig.Run();
                return rig.A.Value == 7 && rig.ResultCount == cycle ? file.Length : -cycle;
            }, 1);
        }

        private static void Utf8Text()
        {
            byte[] buffer = new byte[4 * 4000];
            string short1000 = Documents.MixedText(1000);
            string long4000 = Documents.MixedText(4000);
            Bench.Time("utf8-1000", () => Utf8.Encode(short1000, buffer, 0), 1);
            Bench.Time("utf8-4000", () => Utf8.Encode(long4000, buffer, 0), 1);
        }

        private static int Walk(JsonReader reader)
        {
            int tokens = 0;
            while (reader.Read())
            {
                tokens++;
            }

            return reader.Error == JsonError.None ? tokens : -1;
        }

        // A storage area as a JSON source, rewound per run: what the applier's ConfigReader does, without a store.
        private sealed class AreaSource : IJsonSource
        {
            private IStorage _storage;
            private string _area;
            private int _position;

            public void Open(IStorage storage, string area)
            {
                _storage = storage;
                _area = area;
                _position = 0;
            }

            public int Read(byte[] buffer, int offset, int count)
            {
                int read = _storage.Read(_area, _position, buffer, offset, count);
                if (read > 0)
                {
                    _position += read;
                }

                return read;
            }
        }
    }
}
