using CotaFirmware.Json;
using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>Records routed messages.</summary>
public sealed class RecordingTopicHandler : ITopicHandler
{
    /// <summary>How many messages arrived.</summary>
    public int Calls;

    /// <summary>The last message's topic handle.</summary>
    public int Topic = -1;

    /// <summary>The last payload as text.</summary>
    public string Payload;

    /// <summary>How many oversize notices arrived.</summary>
    public int Oversized;

    /// <summary>The last oversize notice's whole size.</summary>
    public int OversizeSize;

    /// <summary>The last oversize notice's prefix as text.</summary>
    public string OversizePrefix;

    /// <summary>When 0 or more, each message is answered at once with <c>{}</c> on this topic handle, as COTA acks a push.</summary>
    public int AnswerTopic = -1;

    /// <summary>What publishing the last answer returned.</summary>
    public LinkkitStatus AnswerStatus;

    /// <summary>Whether the device counted itself connected when the last message arrived.</summary>
    public bool ArrivedConnected;

    /// <inheritdoc/>
    public void OnTopicMessage(LinkkitDevice device, int topic, byte[] payload, int offset, int count)
    {
        Calls++;
        Topic = topic;
        Payload = Ascii.Text(payload, offset, count);
        ArrivedConnected = device.IsConnected;
        if (AnswerTopic >= 0)
        {
            JsonWriter w = device.BeginMessage();
            w.BeginObject();
            w.EndObject();
            AnswerStatus = device.Publish(AnswerTopic, 0);
        }
    }

    /// <inheritdoc/>
    public void OnTopicOversize(LinkkitDevice device, int topic, int size, byte[] prefix, int offset, int count)
    {
        Oversized++;
        Topic = topic;
        OversizeSize = size;
        OversizePrefix = Ascii.Text(prefix, offset, count);
    }
}
