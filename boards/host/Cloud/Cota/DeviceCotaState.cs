namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>What the console keeps per device about remote configuration (persisted in the registry file).</summary>
/// <param name="LastPushId">The id of the last push sent to the device, or null.</param>
/// <param name="LastPushConfigId">The configId of that push, or null.</param>
/// <param name="PushReplies">The device's push_reply messages, oldest first (the latest 100).</param>
/// <param name="Results">The device's result events, oldest first (the latest 100).</param>
public sealed record DeviceCotaState(string? LastPushId, string? LastPushConfigId,
    IReadOnlyList<DeviceMessage> PushReplies, IReadOnlyList<DeviceMessage> Results)
{
    /// <summary>The configIds it was offered (push or get_reply), oldest first (the latest 100): the configs its
    /// results may speak for.</summary>
    public IReadOnlyList<string> Offered { get; init; } = Array.Empty<string>();

    /// <summary>The state of a device that has seen no COTA yet.</summary>
    public static DeviceCotaState Empty { get; } =
        new(null, null, Array.Empty<DeviceMessage>(), Array.Empty<DeviceMessage>());
}
