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

    /// <inheritdoc/>
    public void OnTopicMessage(LinkkitDevice device, int topic, byte[] payload, int offset, int count)
    {
        Calls++;
        Topic = topic;
        Payload = Ascii.Text(payload, offset, count);
    }
}
