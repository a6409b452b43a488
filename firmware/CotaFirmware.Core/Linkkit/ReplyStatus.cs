namespace CotaFirmware.Linkkit;

/// <summary>How a request ended, as told to its <see cref="IReplyHandler"/>.</summary>
public enum ReplyStatus
{
    /// <summary>The reply arrived; its code and data are given.</summary>
    Replied,

    /// <summary>No reply arrived within the request's timeout.</summary>
    TimedOut,

    /// <summary>The connection was lost before the reply arrived.</summary>
    Disconnected,

    /// <summary>The device was closed before the reply arrived.</summary>
    Closed,

    /// <summary>The reply arrived but was larger than the MQTT receive buffer; the view holds the part of its data that fit.</summary>
    TooLarge,

    /// <summary>A message on a reply topic that is not one JSON object with an integer id (only to a topic's unmatched-reply handler).</summary>
    Malformed,
}
