using System.Xml.Linq;

namespace CotaFirmware.HostTests.Gate;

/// <summary>Checks that a .nfproj lists exactly the .cs files its folder holds, which is what the SDK-style twin compiles.</summary>
/// <remarks>An .nfproj names every file; an SDK project globs. A file added on one side only builds here and breaks in Visual Studio.</remarks>
public static class CompileList
{
    /// <summary>Paths (relative, forward slashes) of the .nfproj's own Compile items. Linked files (..\) are left out.</summary>
    public static SortedSet<string> Listed(string nfproj)
    {
        var doc = XDocument.Load(nfproj);
        return new SortedSet<string>(
            doc.Descendants().Where(e => e.Name.LocalName == "Compile")
                .Select(e => ((string?)e.Attribute("Include") ?? "").Replace('\\', '/'))
                .Where(p => !p.StartsWith("../", StringComparison.Ordinal)),
            StringComparer.Ordinal);
    }

    /// <summary>The .cs files under <paramref name="folder"/>, as the SDK's default glob sees them (bin and obj left out).</summary>
    public static SortedSet<string> Present(string folder) =>
        new(Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
                .Where(p => !p.StartsWith("bin/", StringComparison.Ordinal) && !p.StartsWith("obj/", StringComparison.Ordinal)),
            StringComparer.Ordinal);

    /// <summary>Compares the two lists; returns one line per difference, empty when they agree.</summary>
    public static List<string> Compare(string nfproj)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(nfproj))!;
        var listed = Listed(nfproj);
        var present = Present(folder);
        var problems = new List<string>();
        problems.AddRange(present.Except(listed).Select(p => Path.GetFileName(nfproj) + " does not list " + p));
        problems.AddRange(listed.Except(present).Select(p => Path.GetFileName(nfproj) + " lists " + p + ", which does not exist"));
        return problems;
    }
}
