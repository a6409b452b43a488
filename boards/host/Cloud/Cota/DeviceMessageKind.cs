namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>What a message a device sent to the platform was.</summary>
public enum DeviceMessageKind
{
    /// <summary>thing.config.get on .../thing/config/get.</summary>
    ConfigGet,

    /// <summary>The ack of a push on .../thing/config/push_reply.</summary>
    PushReply,

    /// <summary>The COTA result event (.../thing/event/{ResultEventIdentifier}/post).</summary>
    Result,

    /// <summary>Any other thing event on .../thing/event/{identifier}/post.</summary>
    Event,

    /// <summary>A property post on .../thing/event/property/post.</summary>
    Property,

    /// <summary>Anything else the device published on a topic it may use.</summary>
    Other,
}
