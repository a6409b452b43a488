namespace CotaFirmware.Host.Cloud.Registry;

/// <summary>A product of the registry: its key and the secret used for dynamic registration.</summary>
/// <param name="ProductKey">The ProductKey ({pk} in topics).</param>
/// <param name="ProductSecret">The ProductSecret that keys registration signs.</param>
public sealed record Product(string ProductKey, string ProductSecret);
