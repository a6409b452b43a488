using System;
using System.IO;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>
/// The internal flash drive (I:\, LittleFS) as an <see cref="IStorage"/>: one file per area in a folder of the
/// firmware's own, so the device's network config and certificates (I:\con_*.sys) are never touched.
/// </summary>
/// <remarks>
/// Every write and truncation is flushed before it returns. Writes never start past the end of an area and
/// truncation never extends one, as <see cref="IStorage"/> promises. FileStream.Read allocates a buffer of the
/// requested size on every call (nanoFramework's implementation), so callers read in their fixed chunk size.
/// </remarks>
public sealed class FlashStorage : IStorage
{
    /// <summary>The firmware's folder on the internal drive.</summary>
    public const string DefaultFolder = "I:\\cota";

    private const int MaxNameLength = 32;

    private readonly string _folder;

    /// <summary>Uses <paramref name="folder"/> (created when missing) for the areas.</summary>
    public FlashStorage(string folder)
    {
        _folder = folder;
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    /// <inheritdoc />
    public int Length(string name)
    {
        string path = PathOf(name);
        try
        {
            if (!File.Exists(path))
            {
                return -1;
            }

            using (FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                return (int)file.Length;
            }
        }
        catch (Exception)
        {
            return -1;
        }
    }

    /// <inheritdoc />
    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        string path = PathOf(name);
        try
        {
            if (!File.Exists(path))
            {
                return (int)StorageStatus.NotFound;
            }

            using (FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                long length = file.Length;
                if (position < 0 || position > length)
                {
                    return (int)StorageStatus.Failed;
                }

                if (position == length || count == 0)
                {
                    return 0;
                }

                file.Seek(position, SeekOrigin.Begin);
                long left = length - position;
                int n = file.Read(buffer, offset, left < count ? (int)left : count);
                return n < 0 ? (int)StorageStatus.Failed : n;
            }
        }
        catch (Exception)
        {
            return (int)StorageStatus.Failed;
        }
    }

    /// <inheritdoc />
    public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count)
    {
        string path = PathOf(name);
        try
        {
            using (FileStream file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite))
            {
                if (position < 0 || position > file.Length)
                {
                    return StorageStatus.Failed;
                }

                file.Seek(position, SeekOrigin.Begin);
                file.Write(buffer, offset, count);
                file.Flush();
                return StorageStatus.Ok;
            }
        }
        catch (Exception)
        {
            return StorageStatus.Failed;
        }
    }

    /// <inheritdoc />
    public StorageStatus Truncate(string name, int length)
    {
        string path = PathOf(name);
        try
        {
            if (!File.Exists(path))
            {
                if (length != 0)
                {
                    return StorageStatus.Failed;
                }

                using (FileStream created = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite))
                {
                    created.Flush();
                }

                return StorageStatus.Ok;
            }

            using (FileStream file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            {
                if (length < 0 || length > file.Length)
                {
                    return StorageStatus.Failed;
                }

                if (length < file.Length)
                {
                    file.SetLength(length);
                    file.Flush();
                }

                return StorageStatus.Ok;
            }
        }
        catch (Exception)
        {
            return StorageStatus.Failed;
        }
    }

    /// <inheritdoc />
    public StorageStatus Delete(string name)
    {
        string path = PathOf(name);
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            return StorageStatus.Ok;
        }
        catch (Exception)
        {
            return StorageStatus.Failed;
        }
    }

    // Area names come from the core: short ASCII identifiers. Anything else is a programming error, and a name can
    // never reach outside the folder (no separators, no leading dot).
    private string PathOf(string name)
    {
        char[] chars = name == null ? null : name.ToCharArray();
        if (chars == null || chars.Length == 0 || chars.Length > MaxNameLength || chars[0] == '.')
        {
            throw new ArgumentException("area names are 1 to 32 characters and do not start with a dot");
        }

        foreach (char c in chars)
        {
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (!ok)
            {
                throw new ArgumentException("area names are ASCII letters, digits, '-', '_' and '.'");
            }
        }

        return _folder + "\\" + name + ".bin";
    }
}
