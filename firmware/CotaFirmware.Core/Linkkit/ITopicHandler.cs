namespace CotaFirmware.Linkkit;

/// <summary>Receives the messages of a topic routed with <see cref="LinkkitDevice.Route"/>.</summary>
public interface ITopicHandler
{
    /// <summary>A message arrived on the route <paramref name="topic"/>; the payload view is valid only during the call.</summary>
    void OnTopicMessage(LinkkitDevice device, int topic, byte[] payload, int offset, int count);
}
