using System;
using System.IO;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>
/// The internal flash drive (I:\, LittleFS) as an <see cref="IStorage"/>: one file per area in a folder of the
/// firmware's own, so the device's network config and certificates (I:\con_*.sys) are never touched.
/// </summary>
/// <remarks>
/// Every write and truncation closes its file before it returns: on the ESP32's LittleFS only closing a file commits
/// what was written to it (FileStream.Flush is the C library's fflush, which LittleFS does not commit), so an area
/// left open would lose every write since it was opened at a power cut or a reboot. Writes never start past the end
/// of an area and truncation never extends one, as <see cref="IStorage"/> promises. The area last read stays open:
/// nanoFramework's FileStream frees its native file only in a finalizer, so a stream opened per read leaves garbage
/// that a busy loop does not give the finalizer time to collect (on nanoCLR, a 60 KB download and its verification
/// ran the heap out).
/// FileStream.Read allocates a buffer of the requested size on every call (nanoFramework's implementation), so
/// callers read in their fixed chunk size. Every exception, running out of memory included, is a failed call (the
/// stream is dropped): the core's records are written to survive a failed write, not an exception half-way.
/// </remarks>
public sealed class FlashStorage : IStorage
{
    /// <summary>The firmware's folder on the internal drive.</summary>
    public const string DefaultFolder = "I:\\cota";

    private const int MaxNameLength = 32;

    private readonly string _folder;
    private string _openName;
    private FileStream _open;

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
        try
        {
            FileStream file = Open(name, false);
            return file == null ? -1 : (int)file.Length;
        }
        catch (Exception)
        {
            Forget();
            return -1;
        }
    }

    /// <inheritdoc />
    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        try
        {
            FileStream file = Open(name, false);
            if (file == null)
            {
                return (int)StorageStatus.NotFound;
            }

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
        catch (Exception)
        {
            Forget();
            return (int)StorageStatus.Failed;
        }
    }

    /// <inheritdoc />
    public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count)
    {
        try
        {
            FileStream file = Open(name, true);
            if (position < 0 || position > file.Length)
            {
                return StorageStatus.Failed;
            }

            file.Seek(position, SeekOrigin.Begin);
            file.Write(buffer, offset, count);
            Commit();
            return StorageStatus.Ok;
        }
        catch (Exception)
        {
            Forget();
            return StorageStatus.Failed;
        }
    }

    /// <inheritdoc />
    public StorageStatus Truncate(string name, int length)
    {
        try
        {
            FileStream file = Open(name, length == 0);
            if (file == null || length < 0 || length > file.Length)
            {
                return StorageStatus.Failed;
            }

            if (length < file.Length)
            {
                file.SetLength(length);
            }

            Commit();
            return StorageStatus.Ok;
        }
        catch (Exception)
        {
            Forget();
            return StorageStatus.Failed;
        }
    }

    /// <inheritdoc />
    public StorageStatus Delete(string name)
    {
        try
        {
            string path = PathOf(name);
            if (name == _openName)
            {
                Forget();
            }

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

    // The area's file, kept open for the next call; null when it does not exist and create is false.
    private FileStream Open(string name, bool create)
    {
        if (_open != null && name == _openName)
        {
            return _open;
        }

        string path = PathOf(name);
        Forget();
        if (!create && !File.Exists(path))
        {
            return null;
        }

        _open = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
        _openName = name;
        return _open;
    }

    // Closes the open area, letting an exception out: a write whose file does not close did not reach the flash.
    // FileStream.Close releases everything but leaves the stream on the finalizer queue, which keeps it and all it
    // holds alive through one more collection (13 KB more heap for a 64 KiB download, measured on nanoCLR); its
    // finalizer has nothing left to do.
    private void Commit()
    {
        FileStream open = _open;
        _open = null;
        _openName = null;
        if (open != null)
        {
            GC.SuppressFinalize(open);
            open.Close();
        }
    }

    private void Forget()
    {
        try
        {
            Commit();
        }
        catch (Exception)
        {
            // A stream that broke is gone either way.
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
