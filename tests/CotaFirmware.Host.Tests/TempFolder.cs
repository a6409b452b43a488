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

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
