using System.Collections;
using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Linkkit;
using CotaFirmware.Tests.Config;

namespace CotaFirmware.Tests.Cota;

/// <summary>
/// The COTA service over the real store and applier (module "a", live, and "w", reboot), a scripted MQTT session, a
/// scripted HTTP server and RAM storage that survives <see cref="Reboot"/>; it records what reaches the cloud.
/// </summary>
public sealed class CotaRig : IConfigOfferListener
{
    /// <summary>The topic prefix of the test device.</summary>
    public const string Prefix = "/sys/pk1/dn1/";

    /// <summary>The storage (survives reboots).</summary>
    public readonly MemoryStorage Storage = new MemoryStorage();

    /// <summary>The storage the firmware goes through (a <see cref="FaultyStorage"/> over <see cref="Storage"/> for power cuts); <see cref="Storage"/> when null.</summary>
    public IStorage Flash;

    /// <summary>Every clock of the device.</summary>
    public readonly ManualClock Clock = new ManualClock();

    /// <summary>The file server.</summary>
    public readonly ScriptedHttpClient Http;

    /// <summary>The download settings.</summary>
    public readonly DownloadSettings Settings = DownloadFixture.Settings();

    /// <summary>The COTA settings (no jitter unless a test sets it before <see cref="Build"/>).</summary>
    public readonly CotaSettings CotaSettings = new CotaSettings();

    /// <summary>Every module call of every boot.</summary>
    public readonly ArrayList Journal = new ArrayList();

    /// <summary>The log of every boot.</summary>
    public readonly RecordingLog Log = new RecordingLog();

    /// <summary>The sessions of every boot, in order (what each published).</summary>
    public readonly ArrayList Sessions = new ArrayList();

    /// <summary>The largest config the store takes.</summary>
    public int MaxConfigSize = 64 * 1024;

    /// <summary>When true, every result event gets its post_reply at the next <see cref="Loop"/> turn.</summary>
    public bool AckEvents = true;

    /// <summary>The session of this boot.</summary>
    public ScriptedMqttSession Session;

    /// <summary>The LinkKit device of this boot.</summary>
    public LinkkitDevice Device;

    /// <summary>The store of this boot.</summary>
    public ConfigStore Store;

    /// <summary>The applier of this boot.</summary>
    public ConfigApplier Applier;

    /// <summary>Module "a" (live) of this boot.</summary>
    public JournalingModule A;

    /// <summary>Module "w" (reboot) of this boot.</summary>
    public JournalingModule W;

    /// <summary>The service of this boot.</summary>
    public CotaService Service;

    /// <summary>Valid offers the listener saw.</summary>
    public int Offers;

    private int _acked;

    /// <summary>A rig serving <paramref name="file"/>.</summary>
    public CotaRig(byte[] file)
    {
        Http = new ScriptedHttpClient(file);
        CotaSettings.StartJitterMs = 0;
        CotaSettings.MaxUrlLength = 2048;
    }

    /// <summary>A connected rig serving <paramref name="file"/>.</summary>
    public static CotaRig Connected(byte[] file) => new CotaRig(file).Build(true);

    /// <summary>A connected rig running <paramref name="file"/>, pushed as cfg-1 (id "1"), applied and confirmed.</summary>
    public static CotaRig Running(byte[] file)
    {
        CotaRig rig = Connected(file);
        rig.Push(PushOf("\"1\"", Fields("cfg-1", file)));
        rig.ApplyAndConfirm();
        return rig;
    }

    /// <summary>Pushes <paramref name="configId"/> (id token <paramref name="id"/>) for the scripted server to serve as <paramref name="file"/>, 200 bytes a read, and turns the loop three times: its download is under way.</summary>
    public void PushUnderWay(string id, string configId, byte[] file)
    {
        Http.File = file;
        Http.ReadChunk = 200;
        Push(PushOf(id, Fields(configId, file)));
        Loop(3);
    }

    /// <summary>A connected rig whose offer of <paramref name="file"/>, pushed as cfg-1 from <paramref name="url"/>, ended HttpError: the server answered 403 (an expired OSS signature).</summary>
    public static CotaRig Forbidden(byte[] file, string url)
    {
        CotaRig rig = Connected(file);
        rig.Http.Then(ScriptedResponse.WithStatus(403));
        rig.Push(PushOf("\"1\"", Fields("cfg-1", file, url)));
        rig.Run();
        return rig;
    }

    /// <summary>A connected rig whose download of <paramref name="file"/>, pushed as cfg-1 from <paramref name="url"/>, stopped part-way (500 bytes a read, four turns).</summary>
    public static CotaRig MidDownload(byte[] file, string url)
    {
        CotaRig rig = Connected(file);
        rig.Http.ReadChunk = 500;
        rig.Push(PushOf("\"1\"", Fields("cfg-1", file, url)));
        rig.Loop(4);
        return rig;
    }

    /// <summary>A config file for module a, <c>{"a":{"v":value,"p0":0,"p1":0,...}}</c>, of about <paramref name="size"/> bytes.</summary>
    public static byte[] Config(int value, int size)
    {
        string text = "{\"a\":{\"v\":" + value.ToString();
        for (int i = 0; text.Length < size - 12; i++)
        {
            text = text + ",\"p" + i.ToString() + "\":0";
        }

        return Ascii.Bytes(text + "}}");
    }

    /// <summary>Builds this boot's firmware (and connects unless <paramref name="connect"/> is false); the service starts.</summary>
    public CotaRig Build(bool connect)
    {
        Session = new ScriptedMqttSession();
        Sessions.Add(Session);
        return Build(Session, connect);
    }

    /// <summary>
    /// Builds this boot's firmware over <paramref name="session"/> (and connects unless <paramref name="connect"/> is
    /// false): the core client's session over a scripted channel, where the test plays the broker's bytes and reads what
    /// reached the cloud from the channel (<see cref="Session"/> and the helpers reading it see only scripted sessions).
    /// </summary>
    public CotaRig Build(IMqttSession session, bool connect)
    {
        _acked = 0;
        Device = LinkkitDevice.Open(new DeviceIdentity("pk1", "dn1", TestDevice.Secret, null), new LinkkitSettings(), session, new RecordingMac(), Clock, Log, 1);
        IStorage flash = Flash ?? Storage;
        Store = new ConfigStore(flash, new byte[256], MaxConfigSize, 3);
        A = new JournalingModule("a", ConfigApplyPolicy.Live, Journal);
        W = new JournalingModule("w", ConfigApplyPolicy.RebootDevice, Journal);
        ModuleRegistry modules = new ModuleRegistry(2);
        modules.Register(A);
        modules.Register(W);
        Applier = new ConfigApplier(Store, modules, Log, new byte[128], new byte[64], 4);
        RangeDownload download = new RangeDownload(Http, Store, flash, Clock, Settings, 3);
        Service = new CotaService(Device, Store, Applier, download, flash, CotaSettings, Clock, 7, Log);
        Service.OfferListener = this;
        Service.Start();
        if (connect)
        {
            Device.Connect();
        }

        return this;
    }

    /// <summary>Power off and on: RAM is lost, the storage stays; the new firmware connects unless <paramref name="connect"/> is false.</summary>
    public void Reboot(bool connect)
    {
        Device.Close();
        Build(connect);
    }

    /// <summary>Delivers a push.</summary>
    public void Push(string json)
    {
        Session.Enqueue(Prefix + "thing/config/push", json);
        Device.Yield(0);
    }

    /// <summary>Delivers a get_reply.</summary>
    public void GetReply(string json)
    {
        Session.Enqueue(Prefix + "thing/config/get_reply", json);
        Device.Yield(0);
    }

    /// <summary>Answers the last thing.config.get with <paramref name="fields"/> (code 200), or 6710 when null.</summary>
    public void AnswerGet(string fields)
    {
        string id = IdOf(LastOn("thing/config/get"));
        GetReply(fields == null ? "{\"id\":\"" + id + "\",\"code\":6710,\"data\":{},\"message\":\"no data\"}" : GetReplyOf("\"" + id + "\"", fields));
    }

    /// <summary>The request id of the last thing.config.get sent.</summary>
    public string LastGetId() => IdOf(LastOn("thing/config/get"));

    /// <summary>One turn of the device loop: the cloud acks results, MQTT input, one COTA step, 50 ms pass.</summary>
    public void Loop()
    {
        if (AckEvents)
        {
            AckResults();
        }

        Device.Yield(0);
        Service.Step();
        Clock.Advance(50);
    }

    /// <summary>Loops until the config is on trial, then answers the probe: the trial ends confirmed.</summary>
    public void ApplyAndConfirm()
    {
        for (int i = 0; i < 10000 && !Service.IsOnTrial; i++)
        {
            Loop();
        }

        if (!Service.IsOnTrial)
        {
            throw new System.InvalidOperationException("the config never went on trial");
        }

        Loop();
        AnswerGet(null);
        Run();
    }

    /// <summary>Loops until nothing is left to do (no download, no trial, no result to send), or a reboot is asked for.</summary>
    public void Run()
    {
        for (int i = 0; i < 200000 && !Service.RebootRequested
            && (Service.IsBusy || Service.IsOnTrial || (Device.IsConnected && Service.PendingResults > 0)); i++)
        {
            Loop();
        }

        if (AckEvents)
        {
            AckResults();
            Device.Yield(0);
        }
    }

    /// <summary>Loops <paramref name="turns"/> times.</summary>
    public void Loop(int turns)
    {
        for (int i = 0; i < turns; i++)
        {
            Loop();
        }
    }

    /// <summary>The last payload published on <paramref name="suffix"/> in any boot, or null.</summary>
    public string LastOn(string suffix)
    {
        for (int s = Sessions.Count - 1; s >= 0; s--)
        {
            ScriptedMqttSession session = (ScriptedMqttSession)Sessions[s];
            for (int i = session.PublishedTopics.Count - 1; i >= 0; i--)
            {
                if ((string)session.PublishedTopics[i] == Prefix + suffix)
                {
                    return (string)session.PublishedPayloads[i];
                }
            }
        }

        return null;
    }

    /// <summary>How many messages were published on <paramref name="suffix"/> in every boot.</summary>
    public int CountOn(string suffix)
    {
        int n = 0;
        for (int s = 0; s < Sessions.Count; s++)
        {
            ScriptedMqttSession session = (ScriptedMqttSession)Sessions[s];
            for (int i = 0; i < session.PublishedTopics.Count; i++)
            {
                if ((string)session.PublishedTopics[i] == Prefix + suffix)
                {
                    n++;
                }
            }
        }

        return n;
    }

    /// <summary>"" when every seq of every result event (all boots) names one result; else the two results one names.</summary>
    public string SequenceClash()
    {
        ArrayList seqs = new ArrayList();
        ArrayList results = new ArrayList();
        for (int s = 0; s < Sessions.Count; s++)
        {
            ScriptedMqttSession session = (ScriptedMqttSession)Sessions[s];
            for (int i = 0; i < session.PublishedTopics.Count; i++)
            {
                if ((string)session.PublishedTopics[i] != Prefix + "thing/event/ConfigResult/post")
                {
                    continue;
                }

                string message = (string)session.PublishedPayloads[i];
                int start = message.IndexOf("\"params\":");
                int seq = message.IndexOf(",\"seq\":", start);
                string result = message.Substring(start, seq - start);
                string key = message.Substring(seq, message.IndexOf('}', seq) - seq);
                int seen = seqs.IndexOf(key);
                if (seen >= 0 && (string)results[seen] != result)
                {
                    return key + " names " + (string)results[seen] + " and " + result;
                }

                seqs.Add(key);
                results.Add(result);
            }
        }

        return "";
    }

    /// <summary>The last result event (any boot) whose <c>seq</c> is <paramref name="seq"/>, or null.</summary>
    public string ResultOf(int seq)
    {
        string key = ",\"seq\":" + seq.ToString() + "}";
        string found = null;
        for (int s = 0; s < Sessions.Count; s++)
        {
            ScriptedMqttSession session = (ScriptedMqttSession)Sessions[s];
            for (int i = 0; i < session.PublishedTopics.Count; i++)
            {
                string payload = (string)session.PublishedPayloads[i];
                if ((string)session.PublishedTopics[i] == Prefix + "thing/event/ConfigResult/post" && payload.IndexOf(key) >= 0)
                {
                    found = payload;
                }
            }
        }

        return found;
    }

    /// <summary>Loops as the ESP32 app does, where running out of memory in a step is logged and the loop goes on, until nothing is left to do.</summary>
    public void RunPastOutOfMemory()
    {
        for (int i = 0; i < 20000; i++)
        {
            try
            {
                Loop();
            }
            catch (System.OutOfMemoryException)
            {
                continue;
            }

            if (!Service.IsBusy && !Service.IsOnTrial && Service.PendingResults == 0 && Log.RunsOutOfMemoryOn == null)
            {
                break;
            }
        }

        Loop(3);
    }

    /// <summary>The last push_reply.</summary>
    public string LastAck => LastOn("thing/config/push_reply");

    /// <summary>The last result event, or null.</summary>
    public string LastResult => LastOn("thing/event/ConfigResult/post");

    /// <summary>How many result events went out.</summary>
    public int ResultCount => CountOn("thing/event/ConfigResult/post");

    /// <summary>The params of the last result event (the JSON object) without its <c>seq</c> member, or null.</summary>
    public string LastResultParams
    {
        get
        {
            string r = LastResult;
            if (r == null)
            {
                return null;
            }

            int start = r.IndexOf("\"params\":") + 9;
            int seq = r.IndexOf(",\"seq\":", start);
            return r.Substring(start, seq - start) + "}";
        }
    }

    /// <summary>The <c>seq</c> of the last result event (the offer's sequence), or -1.</summary>
    public int LastResultSeq
    {
        get
        {
            string r = LastResult;
            if (r == null)
            {
                return -1;
            }

            char[] chars = r.ToCharArray();
            int at = r.IndexOf(",\"seq\":") + 7;
            int end = at;
            while (chars[end] >= '0' && chars[end] <= '9')
            {
                end++;
            }

            return int.Parse(r.Substring(at, end - at));
        }
    }

    /// <summary>The id of the active config, or "".</summary>
    public string ActiveId()
    {
        byte[] id = new byte[ConfigStore.MaxConfigIdLength];
        int n = Store.CopyActiveConfigId(id, 0);
        return n < 0 ? "" : Ascii.Text(id, 0, n);
    }

    /// <summary>The params of a push or get_reply for <paramref name="file"/>.</summary>
    public static string Fields(string configId, byte[] file) => Fields(configId, file, DownloadFixture.Url("https"));

    /// <summary>The params of a push or get_reply for <paramref name="file"/> at <paramref name="url"/>.</summary>
    public static string Fields(string configId, byte[] file, string url)
    {
        return "\"configId\":\"" + configId + "\",\"configSize\":" + file.Length + ",\"sign\":\""
            + Ascii.Text(DownloadFixture.SignHex(file), 0, 64) + "\",\"signMethod\":\"Sha256\",\"url\":\""
            + url + "\",\"getType\":\"file\"";
    }

    /// <summary>A push with id token <paramref name="idToken"/> and the given params members.</summary>
    public static string PushOf(string idToken, string fields)
    {
        return "{\"id\":" + idToken + ",\"version\":\"1.0\",\"params\":{" + fields + "},\"method\":\"thing.config.push\"}";
    }

    /// <summary>A get_reply with code 200 and the given data members.</summary>
    public static string GetReplyOf(string idToken, string fields)
    {
        return "{\"id\":" + idToken + ",\"version\":\"1.0\",\"code\":200,\"data\":{" + fields + "}}";
    }

    /// <inheritdoc/>
    public void OnConfigOffered(ConfigMessage message) => Offers++;

    // The cloud's post_reply to every result event published since the last call.
    private void AckResults()
    {
        ScriptedMqttSession s = Session;
        for (; _acked < s.PublishedTopics.Count; _acked++)
        {
            string topic = (string)s.PublishedTopics[_acked];
            if (topic == Prefix + "thing/event/ConfigResult/post" && s.IsConnected)
            {
                s.Enqueue(topic + "_reply", "{\"id\":\"" + IdOf((string)s.PublishedPayloads[_acked]) + "\",\"code\":200,\"data\":{}}");
            }
        }
    }

    // The request id of a LinkKit request payload ({"id":"n",...}).
    private static string IdOf(string payload)
    {
        int start = payload.IndexOf("\"id\":\"") + 6;
        return payload.Substring(start, payload.IndexOf('"', start) - start);
    }
}
