using CotaFirmware.Cota;
using CotaFirmware.Linkkit;
using CotaFirmware.Tests.Linkkit;

namespace CotaFirmware.Tests.Cota;

/// <summary>A COTA service over a fake MQTT session, a scripted HTTP server and RAM storage; it records what reaches the ports.</summary>
public sealed class CotaRig : IAppliedConfigId, IConfigCandidateSink, IConfigOfferListener
{
    /// <summary>The topic prefix of the test device.</summary>
    public const string Prefix = "/sys/pk1/dn1/";

    /// <summary>The LinkKit device over its fakes.</summary>
    public readonly TestDevice Linkkit = new TestDevice(null);

    /// <summary>The storage.</summary>
    public readonly MemoryStorage Storage = new MemoryStorage();

    /// <summary>The service's and the download's clock.</summary>
    public readonly ManualClock Clock = new ManualClock();

    /// <summary>The file server.</summary>
    public readonly ScriptedHttpClient Http;

    /// <summary>The download settings.</summary>
    public readonly DownloadSettings Settings = DownloadFixture.Settings();

    /// <summary>The COTA settings (no jitter unless a test sets it before <see cref="Build"/>).</summary>
    public readonly CotaSettings CotaSettings = new CotaSettings();

    /// <summary>The service, once built.</summary>
    public CotaService Service;

    /// <summary>The applied configId the port answers.</summary>
    public string Applied = string.Empty;

    /// <summary>What reached the sink and the listener.</summary>
    public int Candidates, Failures, Confirms, Offers;

    /// <summary>The configId of the last candidate and whether its staged bytes were the served file.</summary>
    public string CandidateId;

    /// <summary>Whether the last candidate's staging area held exactly the served file.</summary>
    public bool CandidateStagedFile;

    /// <summary>The last failure the sink saw.</summary>
    public DownloadOutcome LastFailure;

    /// <summary>A rig serving <paramref name="file"/>.</summary>
    public CotaRig(byte[] file)
    {
        Http = new ScriptedHttpClient(file);
        CotaSettings.StartJitterMs = 0;
        CotaSettings.MaxUrlLength = 2048;
    }

    /// <summary>Builds the service (and connects unless <paramref name="connect"/> is false).</summary>
    public CotaRig Build(bool connect)
    {
        var download = new RangeDownload(Http, Storage, new ReferenceSha256(), Clock, Settings);
        Service = new CotaService(Linkkit.Device, download, Settings, CotaSettings, this, this, Clock, new System.Random(7), Linkkit.Log);
        Service.OfferListener = this;
        if (connect)
        {
            Linkkit.Device.Connect();
        }

        return this;
    }

    /// <summary>A connected rig serving <paramref name="file"/>.</summary>
    public static CotaRig Connected(byte[] file) => new CotaRig(file).Build(true);

    /// <summary>Delivers a push.</summary>
    public void Push(string json)
    {
        Linkkit.Session.Enqueue(Prefix + "thing/config/push", json);
        Linkkit.Device.Yield(1);
    }

    /// <summary>Delivers a get_reply.</summary>
    public void GetReply(string json)
    {
        Linkkit.Session.Enqueue(Prefix + "thing/config/get_reply", json);
        Linkkit.Device.Yield(1);
    }

    /// <summary>Steps the service until it is idle, moving the clock 50 ms per step.</summary>
    public void Run()
    {
        for (int i = 0; i < 100000 && Service.IsBusy; i++)
        {
            Service.Step();
            Clock.Now += 50;
        }
    }

    /// <summary>The last payload published on <paramref name="suffix"/>, or null.</summary>
    public string LastOn(string suffix)
    {
        var s = Linkkit.Session;
        for (int i = s.PublishedTopics.Count - 1; i >= 0; i--)
        {
            if ((string)s.PublishedTopics[i] == Prefix + suffix)
            {
                return (string)s.PublishedPayloads[i];
            }
        }

        return null;
    }

    /// <summary>How many messages were published on <paramref name="suffix"/>.</summary>
    public int CountOn(string suffix)
    {
        var s = Linkkit.Session;
        int n = 0;
        for (int i = 0; i < s.PublishedTopics.Count; i++)
        {
            if ((string)s.PublishedTopics[i] == Prefix + suffix)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The last push_reply.</summary>
    public string LastAck => LastOn("thing/config/push_reply");

    /// <summary>The last result event.</summary>
    public string LastResult => LastOn("thing/event/ConfigResult/post");

    /// <summary>The params of a push or get_reply for <paramref name="file"/>.</summary>
    public static string Fields(string configId, byte[] file)
    {
        return "\"configId\":\"" + configId + "\",\"configSize\":" + file.Length + ",\"sign\":\""
            + Ascii.Text(DownloadFixture.SignHex(file), 0, 64) + "\",\"signMethod\":\"Sha256\",\"url\":\""
            + DownloadFixture.Url("https") + "\",\"getType\":\"file\"";
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
    public int CopyAppliedConfigId(byte[] buffer, int offset)
    {
        char[] chars = Applied.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            buffer[offset + i] = (byte)chars[i];
        }

        return chars.Length;
    }

    /// <inheritdoc/>
    public void OnCandidate(string stagingArea, ConfigOffer offer)
    {
        Candidates++;
        byte[] id = new byte[ConfigOffer.MaxConfigIdLength];
        int n = offer.CopyConfigId(id, 0);
        CandidateId = Ascii.Text(id, 0, n);
        CandidateStagedFile = stagingArea == Settings.StagingArea && DownloadFixture.Staged(Storage, Settings, Http.File);
    }

    /// <inheritdoc/>
    public void OnDownloadFailed(ConfigOffer offer, DownloadOutcome outcome)
    {
        Failures++;
        LastFailure = outcome;
    }

    /// <inheritdoc/>
    public void OnCloudConfirmed() => Confirms++;

    /// <inheritdoc/>
    public void OnConfigOffered(ConfigMessage message) => Offers++;
}
