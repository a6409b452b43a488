namespace CotaFirmware.Linkkit;

/// <summary>Receives the messages of a topic routed with <see cref="LinkkitDevice.Route"/>.</summary>
public interface ITopicHandler
{
    /// <summary>A message arrived on the route <paramref name="topic"/>; the payload view is valid only during the call.</summary>
    public void OnTopicMessage(LinkkitDevice device, int topic, byte[] payload, int offset, int count);

    /// <summary>
    /// A message of <paramref name="size"/> bytes arrived on the route <paramref name="topic"/> that was larger than the
    /// MQTT receive buffer: it was dropped (and logged). The view holds the prefix that fit, so that fields near its
    /// start (a request's id) can still be read; it is valid only during the call.
    /// </summary>
    public void OnTopicOversize(LinkkitDevice device, int topic, int size, byte[] prefix, int offset, int count);
}
