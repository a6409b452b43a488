namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>One message a device published, as the platform recorded it.</summary>
/// <param name="Sequence">Increases by one per recorded message (use it to wait for later ones).</param>
/// <param name="Time">When it arrived.</param>
/// <param name="ProductKey">The sender's product.</param>
/// <param name="DeviceName">The sender.</param>
/// <param name="Kind">What it was.</param>
/// <param name="Topic">The topic it came on.</param>
/// <param name="Identifier">The event identifier for events and results (e.g. ConfigResult), else null.</param>
/// <param name="Id">The message's id as its raw JSON text (a string keeps its quotes), or null.</param>
/// <param name="Code">The top-level <c>code</c> when present as a number or numeric string, else null.</param>
/// <param name="Payload">The payload as UTF-8 text.</param>
/// <param name="WellFormed">False when the payload was not a JSON object.</param>
public sealed record DeviceMessage(long Sequence, DateTimeOffset Time, string ProductKey, string DeviceName,
    DeviceMessageKind Kind, string Topic, string? Identifier, string? Id, int? Code, string Payload, bool WellFormed);
