namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>A config file published for a product: what push and get_reply describe.</summary>
/// <param name="ConfigId">The id the console gave it.</param>
/// <param name="ProductKey">The product it configures.</param>
/// <param name="Size">Its length in bytes (configSize).</param>
/// <param name="Sign">Lowercase hex SHA-256 of its bytes (sign, signMethod Sha256).</param>
/// <param name="FileName">Its file name in the data folder's configs/ directory.</param>
/// <param name="PublishedAt">When it was first published.</param>
/// <param name="OfferedSince">When it was last published (again); null means <paramref name="PublishedAt"/>.</param>
/// <param name="Rejection">Why the fleet refused it since then, or null: a refused config is offered to no device until it is published again.</param>
/// <param name="Halt">When its rollout halts; null: <see cref="RolloutHalt.Default"/>.</param>
public sealed record ConfigFile(string ConfigId, string ProductKey, long Size, string Sign, string FileName,
    DateTimeOffset PublishedAt, DateTimeOffset? OfferedSince = null, ConfigRejection? Rejection = null,
    RolloutHalt? Halt = null)
{
    /// <summary>The threshold that halts its rollout.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RolloutHalt HaltsAt => Halt ?? RolloutHalt.Default;

    /// <summary>When it became the offered config (its last publication).</summary>
    public DateTimeOffset OfferedAt => OfferedSince ?? PublishedAt;
}
