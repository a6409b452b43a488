namespace CotaFirmware.HostTests;

/// <summary>
/// A path under the system's temp folder that is one test's alone: whatever the test hands it to creates it, and it is
/// deleted with everything in it when the test ends.
/// </summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix) => Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> as the file <paramref name="name"/> in the folder (created when missing).</summary>
    /// <returns>The file's full path.</returns>
    public string Write(string name, string text)
    {
        Directory.CreateDirectory(Path);
        string file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
