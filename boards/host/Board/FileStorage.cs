using CotaFirmware.Platform;

namespace CotaFirmware.Host.Board;

/// <summary>The host board's flash: each storage area is a file in one folder, and every write is flushed to disk before it returns.</summary>
/// <remarks>Area files are readable by their owner only (0600): one of them may hold the device's secret.</remarks>
public sealed class FileStorage : IStorage
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _folder;

    /// <summary>Uses <paramref name="folder"/> (created when missing) as the flash.</summary>
    public FileStorage(string folder)
    {
        _folder = Path.GetFullPath(folder);
        CreateFolder(_folder);
    }

    /// <summary>Creates <paramref name="folder"/> (and its parents) when missing; a folder it creates is its owner's only (0700).</summary>
    internal static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnly | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The folder holding the area files.</summary>
    public string Folder => _folder;

    /// <inheritdoc />
    public int Length(string name)
    {
        var file = new FileInfo(PathOf(name));
        return file.Exists ? checked((int)file.Length) : -1;
    }

    /// <inheritdoc />
    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        string path = PathOf(name);
        if (!File.Exists(path))
        {
            return (int)StorageStatus.NotFound;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (position < 0 || position > stream.Length)
            {
                return (int)StorageStatus.Failed;
            }

            stream.Position = position;
            return stream.Read(buffer, offset, count);
        }
        catch (IOException)
        {
            return (int)StorageStatus.Failed;
        }
    }

    /// <inheritdoc />
    public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count)
    {
        try
        {
            using var stream = OpenForWrite(name);
            if (position < 0 || position > stream.Length)
            {
                return StorageStatus.Failed;
            }

            stream.Position = position;
            stream.Write(buffer, offset, count);
            stream.Flush(flushToDisk: true);
            return StorageStatus.Ok;
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            return StorageStatus.Full;
        }
        catch (IOException)
        {
            return StorageStatus.Failed;
        }
    }

    /// <inheritdoc />
    public StorageStatus Truncate(string name, int length)
    {
        try
        {
            using var stream = OpenForWrite(name);
            if (length < 0 || length > stream.Length)
            {
                return StorageStatus.Failed;
            }

            stream.SetLength(length);
            stream.Flush(flushToDisk: true);
            return StorageStatus.Ok;
        }
        catch (IOException)
        {
            return StorageStatus.Failed;
        }
    }

    /// <inheritdoc />
    public StorageStatus Delete(string name)
    {
        try
        {
            File.Delete(PathOf(name));
            return StorageStatus.Ok;
        }
        catch (IOException)
        {
            return StorageStatus.Failed;
        }
    }

    private FileStream OpenForWrite(string name)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        return new FileStream(PathOf(name), options);
    }

    private static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) == 112 || e.HResult == 28;

    private string PathOf(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 32)
        {
            throw new ArgumentException("area names are 1 to 32 characters", nameof(name));
        }

        foreach (char c in name)
        {
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (!ok || name[0] == '.')
            {
                throw new ArgumentException("area names are ASCII letters, digits, '-', '_' and '.'", nameof(name));
            }
        }

        return Path.Combine(_folder, name + ".bin");
    }
}
