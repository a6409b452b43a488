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

    /// <inheritdoc/>
    public void OnTopicMessage(LinkkitDevice device, int topic, byte[] payload, int offset, int count)
    {
        Calls++;
        Topic = topic;
        Payload = Ascii.Text(payload, offset, count);
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
