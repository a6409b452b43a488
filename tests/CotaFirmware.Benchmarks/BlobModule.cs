using System.Text;
using CotaFirmware.Config;
using CotaFirmware.Json;

namespace CotaFirmware.Benchmarks;

/// <summary>A module that takes its section ("blob") as it is: the configs it carries are only bytes to move.</summary>
public sealed class BlobModule : IConfigModule
{
    /// <inheritdoc/>
    public byte[] Name { get; } = "blob"u8.ToArray();

    /// <summary>A config of about <paramref name="size"/> bytes for this module: {"blob":{"k0":"..","k1":"..",...}}, random letters seeded by the size.</summary>
    public static byte[] Config(int size)
    {
        var random = new Random(size);
        var text = new StringBuilder("{\"blob\":{");
        for (int i = 0; text.Length < size - 40; i++)
        {
            text.Append(i == 0 ? "" : ",").Append("\"k").Append(i).Append("\":\"");
            for (int k = 0; k < 24; k++)
            {
                text.Append((char)('a' + random.Next(26)));
            }

            text.Append('"');
        }

        return Encoding.ASCII.GetBytes(text.Append("}}").ToString());
    }

    /// <inheritdoc/>
    public ConfigApplyPolicy Policy => ConfigApplyPolicy.Live;

    /// <inheritdoc/>
    public void Validate(JsonReader section, ConfigErrors errors)
    {
    }

    /// <inheritdoc/>
    public void Apply(JsonReader section)
    {
    }

    /// <inheritdoc/>
    public void ApplyDefaults()
    {
    }

    /// <inheritdoc/>
    public void Stop()
    {
    }

    /// <inheritdoc/>
    public void Start()
    {
    }
}
