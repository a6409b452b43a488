namespace CotaFirmware.Host.Cloud;

/// <summary>Writes files that hold secrets (device and product secrets, keys, tokens) readable by their owner only
/// (0600), created so from the first byte and replaced atomically.</summary>
public static class OwnerOnlyFile
{
    /// <summary>The mode every such file has.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>: a 0600 temporary file, then a rename.</summary>
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
        }
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode is filtered by the umask; a umask never widens it, but set it exactly anyway.
            File.SetUnixFileMode(temp, Mode);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Replaces <paramref name="path"/> with UTF-8 <paramref name="text"/>.</summary>
    public static void Write(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));
}
