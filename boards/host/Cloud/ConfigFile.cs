namespace CotaFirmware.Host.Cloud;

/// <summary>A config file published for a product: what push and get_reply describe.</summary>
/// <param name="ConfigId">The id the console gave it.</param>
/// <param name="ProductKey">The product it configures.</param>
/// <param name="Size">Its length in bytes (configSize).</param>
/// <param name="Sign">Lowercase hex SHA-256 of its bytes (sign, signMethod Sha256).</param>
/// <param name="FileName">Its file name in the data folder's configs/ directory.</param>
/// <param name="PublishedAt">When it was published.</param>
public sealed record ConfigFile(string ConfigId, string ProductKey, long Size, string Sign, string FileName,
    DateTimeOffset PublishedAt);
