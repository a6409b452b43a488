namespace CotaFirmware.Host.Board;

/// <summary>One writer per flash folder: the process running a device on a folder holds it until it ends, or dies.</summary>
/// <remarks>
/// The lock is the operating system's exclusive lock on <c>.lock</c> in the folder (<c>flock</c> on Linux and macOS,
/// a sharing lock on Windows), which it drops when the process ends in any way, so a crash leaves no stale lock.
/// <c>.owner</c> beside it names the holding process for the message a second one prints. Neither is a storage area
/// (area files end in <c>.bin</c>).
/// </remarks>
public sealed class FlashLock : IDisposable
{
    private const string LockFile = ".lock";
    private const string OwnerFile = ".owner";
    private readonly FileStream _held;

    private FlashLock(FileStream held) => _held = held;

    /// <summary>Takes the lock of <paramref name="folder"/> (created when missing).</summary>
    /// <exception cref="FlashInUseException">Another process holds it; the message names its process id.</exception>
    public static FlashLock Acquire(string folder)
    {
        folder = Path.GetFullPath(folder);
        FileStorage.CreateFolder(folder);
        FileStream held;
        try
        {
            held = Open(Path.Combine(folder, LockFile), FileMode.OpenOrCreate, FileShare.None);
        }
        catch (IOException)
        {
            throw new FlashInUseException("the flash folder " + folder + " is in use by process " + Owner(folder)
                + ": one process per flash, as on a device (stop that one, or give this one another folder)");
        }

        using (var owner = Open(Path.Combine(folder, OwnerFile), FileMode.Create, FileShare.Read))
        using (var writer = new StreamWriter(owner))
        {
            writer.Write(Environment.ProcessId);
        }

        return new FlashLock(held);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _held.Dispose();

    private static FileStream Open(string path, FileMode mode, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.ReadWrite, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    private static string Owner(string folder)
    {
        try
        {
            return File.ReadAllText(Path.Combine(folder, OwnerFile)).Trim();
        }
        catch (IOException)
        {
            return "(unknown: it has not named itself yet)";
        }
    }
}

/// <summary>Another process holds the flash folder's <see cref="FlashLock"/>; the message names it.</summary>
public sealed class FlashInUseException(string message) : Exception(message);
