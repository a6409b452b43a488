namespace CotaFirmware.NanoBuild;

/// <summary>
/// Test data and tools that are not in the repository but in <c>shared/</c> beside the project root (or beside a folder
/// above it, as for a git worktree): where they are.
/// </summary>
public static class SharedFolder
{
    /// <summary>The first <c>shared/<paramref name="relative"/></c> folder, from the project root upwards, that <paramref name="complete"/> accepts; null when there is none.</summary>
    public static string? Find(string relative, Func<string, bool> complete)
    {
        for (var dir = new DirectoryInfo(Repo.Root); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", relative);
            if (complete(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Where <c>shared/<paramref name="relative"/></c> is expected: beside the project root.</summary>
    public static string Expected(string relative) => Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", relative));
}
