namespace CotaFirmware.NanoBuild;

/// <summary>Paths inside the repository, found from the running binary's location (build output goes to artifacts/ inside it).</summary>
public static class Repo
{
    public static readonly string Root = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine(new[] { Root }.Concat(parts).ToArray());

    public static string CoreFolder => Path("firmware", "CotaFirmware.Core");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CotaFirmware.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CotaFirmware.sln not found above " + AppContext.BaseDirectory);
    }
}
