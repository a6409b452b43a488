namespace CotaFirmware.Host.Cloud;

/// <summary>Writes files that hold secrets (device and product secrets, keys, tokens) readable by their owner only
/// (0600), created so from the first byte and replaced atomically; and makes the folders that hold them (0700).</summary>
public static class OwnerOnlyFile
{
    /// <summary>The mode every such file has.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>: a 0600 temporary file, flushed to disk, then a rename.</summary>
    public static void Write(string path, byte[] content)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode;
        }
        File.Delete(temp);
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(content);

            // On disk before the rename: after a power cut the name holds the old file or the new one, never an empty one.
            stream.Flush(flushToDisk: true);
        }
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode is filtered by the umask; a umask never widens it, but set it exactly anyway.
            File.SetUnixFileMode(temp, Mode);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Creates <paramref name="path"/> (and its parents) when missing; a folder it creates is its owner's only (0700).</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, Mode | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Replaces <paramref name="path"/> with UTF-8 <paramref name="text"/>.</summary>
    public static void Write(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));
}
