namespace CotaFirmware.Host.Cloud.Broker;

/// <summary>Something the broker refused: a connection or a publish/subscribe outside the device's topics.</summary>
/// <param name="Time">When.</param>
/// <param name="ClientId">The MQTT clientId as sent.</param>
/// <param name="UserName">The MQTT username as sent.</param>
/// <param name="Action">"accept" (too many connections), "connect", "packet" (too large), "publish" or "subscribe".</param>
/// <param name="Topic">The topic or filter for publish/subscribe, else null.</param>
/// <param name="Reason">Why (never contains a secret or a password).</param>
public sealed record BrokerRefusal(DateTimeOffset Time, string? ClientId, string? UserName, string Action,
    string? Topic, string Reason);
