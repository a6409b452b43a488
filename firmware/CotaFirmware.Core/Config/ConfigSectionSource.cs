using CotaFirmware.Json;
using CotaFirmware.Platform;

namespace CotaFirmware.Config;

/// <summary>One section of a stored config as a JSON document of its own: the bytes of a single top-level value.</summary>
internal sealed class ConfigSectionSource : IJsonSource
{
    private readonly ConfigReader _reader = new ConfigReader();
    private int _end;

    /// <summary>The reader the store points at a slot (<see cref="ConfigStore.OpenActive"/>, <see cref="ConfigStore.OpenCandidate"/>).</summary>
    internal ConfigReader Reader
    {
        get { return _reader; }
    }

    /// <summary>Limits reading to <paramref name="length"/> bytes from <paramref name="offset"/> of the open slot.</summary>
    internal void Select(int offset, int length)
    {
        _reader.Seek(offset);
        _end = offset + length;
    }

    /// <inheritdoc/>
    public int Read(byte[] buffer, int offset, int count)
    {
        int left = _end - _reader.Position;
        if (left <= 0)
        {
            return 0;
        }

        return _reader.Read(buffer, offset, count < left ? count : left);
    }
}
