using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CotaFirmware.NanoBuild;

/// <summary>
/// A nanoFramework project (.nfproj) read the way its build would read it: properties from Directory.Build.props and
/// the project for a configuration, its Compile items, its assembly References (with their package HintPaths) and its
/// ProjectReferences. Nothing here knows the projects by name: every device assembly is found in CotaFirmware.sln.
/// </summary>
public sealed class NfProject
{
    private NfProject(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Document = XDocument.Load(Path);
        var globals = Evaluate("Debug");
        AssemblyName = globals.GetValueOrDefault("AssemblyName") ?? throw new InvalidDataException(Path + " has no AssemblyName");
        IsExe = string.Equals(globals.GetValueOrDefault("OutputType"), "Exe", StringComparison.OrdinalIgnoreCase);
        IsTest = string.Equals(globals.GetValueOrDefault("IsTestProject"), "true", StringComparison.OrdinalIgnoreCase);
        Sources = Items("Compile").Select(i => Full((string)i.Attribute("Include")!)).ToList();
        References = Items("Reference").Select(i => new Reference(
            ((string)i.Attribute("Include")!).Split(',')[0].Trim(),
            i.Elements().FirstOrDefault(e => e.Name.LocalName == "HintPath")?.Value)).ToList();
        ProjectReferences = Items("ProjectReference").Select(i => Full((string)i.Attribute("Include")!)).ToList();
    }

    /// <summary>An assembly reference: its name and the package file a Visual Studio build takes it from.</summary>
    public sealed record Reference(string Name, string? HintPath);

    /// <summary>The .nfproj's full path.</summary>
    public string Path { get; }

    /// <summary>The folder the project's relative paths start from.</summary>
    public string Folder => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>The project file as XML.</summary>
    public XDocument Document { get; }

    /// <summary>The assembly the project builds.</summary>
    public string AssemblyName { get; }

    /// <summary>True for an application (a Main to run), false for a class library.</summary>
    public bool IsExe { get; }

    /// <summary>True for a unit test project (nanoFramework.TestFramework).</summary>
    public bool IsTest { get; }

    /// <summary>Full paths of the Compile items, linked files included.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>The assembly references.</summary>
    public IReadOnlyList<Reference> References { get; }

    /// <summary>Full paths of the referenced projects.</summary>
    public IReadOnlyList<string> ProjectReferences { get; }

    /// <summary>True for a project of the portable core, which may reference mscorlib and other core projects only.</summary>
    public bool IsCore => Path.StartsWith(Repo.CoreFolder + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Every .nfproj that CotaFirmware.sln names, in the solution's order.</summary>
    public static IReadOnlyList<NfProject> InSolution() =>
        Regex.Matches(File.ReadAllText(Repo.Path("CotaFirmware.sln")), "\"([^\"]+\\.nfproj)\"")
            .Select(m => Load(Repo.Path(m.Groups[1].Value.Replace('\\', System.IO.Path.DirectorySeparatorChar))))
            .ToList();

    /// <summary>Reads one project.</summary>
    public static NfProject Load(string path) => new(path);

    /// <summary>
    /// The project's properties for <paramref name="configuration"/>: the nanoFramework project system's defaults for
    /// it, then Directory.Build.props (the nearest above the project, as MSBuild imports it, with what it imports),
    /// then the project itself. Imports that do not exist here (the nanoFramework project system) are skipped.
    /// </summary>
    public Dictionary<string, string> Evaluate(string configuration)
    {
        // NFProjectSystem.Default.props (nanoframework/nf-Visual-Studio-extension) sets these per configuration.
        bool debug = configuration == "Debug";
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Configuration"] = configuration,
            ["Platform"] = "AnyCPU",
            ["MSBuildProjectExtension"] = ".nfproj",
            ["MSBuildProjectDirectory"] = Folder,
            ["DebugType"] = debug ? "full" : "pdbonly",
            ["Optimize"] = debug ? "false" : "true",
            ["DefineConstants"] = debug ? "DEBUG;TRACE" : "TRACE",
        };

        string? props = DirectoryBuildProps();
        if (props != null)
        {
            Apply(XDocument.Load(props), props, properties);
        }

        Apply(Document, Path, properties);
        properties.Remove("MSBuildThisFileDirectory");
        return properties;
    }

    private IEnumerable<XElement> Items(string kind) =>
        Document.Descendants().Where(e => e.Name.LocalName == kind && e.Parent?.Name.LocalName == "ItemGroup" && e.Attribute("Include") != null);

    private string Full(string include) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(Folder, include.Replace('\\', System.IO.Path.DirectorySeparatorChar)));

    private string? DirectoryBuildProps()
    {
        for (var dir = new DirectoryInfo(Folder); dir != null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "Directory.Build.props");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    // PropertyGroups and Imports in document order, as MSBuild's evaluation reads properties.
    private static void Apply(XDocument doc, string file, Dictionary<string, string> properties)
    {
        properties["MSBuildThisFileDirectory"] = System.IO.Path.GetDirectoryName(file) + System.IO.Path.DirectorySeparatorChar;
        foreach (var element in doc.Root!.Elements())
        {
            if (!Holds(element, file, properties))
            {
                continue;
            }

            if (element.Name.LocalName == "Import")
            {
                string imported = ImportPath((string)element.Attribute("Project")!, properties);
                if (File.Exists(imported))
                {
                    Apply(XDocument.Load(imported), imported, properties);
                    properties["MSBuildThisFileDirectory"] = System.IO.Path.GetDirectoryName(file) + System.IO.Path.DirectorySeparatorChar;
                }
            }
            else if (element.Name.LocalName == "PropertyGroup")
            {
                foreach (var property in element.Elements())
                {
                    if (Holds(property, file, properties))
                    {
                        properties[property.Name.LocalName] = Expand(property.Value.Trim(), properties);
                    }
                }
            }
        }
    }

    // A plain path, or $([MSBuild]::GetPathOfFileAbove('name', 'folder')) as the core's Directory.Build.props uses it.
    private static string ImportPath(string project, Dictionary<string, string> properties)
    {
        var above = Regex.Match(project, @"^\$\(\[MSBuild\]::GetPathOfFileAbove\('([^']+)',\s*'([^']*)'\)\)$");
        if (!above.Success)
        {
            return Expand(project, properties).Replace('\\', System.IO.Path.DirectorySeparatorChar);
        }

        for (var dir = new DirectoryInfo(Expand(above.Groups[2].Value, properties)); dir != null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, above.Groups[1].Value);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "";
    }

    private static bool Holds(XElement element, string file, Dictionary<string, string> properties)
    {
        string? condition = (string?)element.Attribute("Condition");
        if (condition == null)
        {
            return true;
        }

        // The project files use one comparison of two quoted strings, or Exists('path'); anything richer is refused, not guessed.
        var exists = Regex.Match(condition, @"^\s*Exists\('([^']*)'\)\s*$");
        if (exists.Success)
        {
            string path = Expand(exists.Groups[1].Value, properties).Replace('\\', System.IO.Path.DirectorySeparatorChar);
            return path.Length > 0 && (File.Exists(path) || Directory.Exists(path));
        }

        var m = Regex.Match(condition, @"^\s*'([^']*)'\s*(==|!=)\s*'([^']*)'\s*$");
        if (!m.Success)
        {
            throw new NotSupportedException(file + ": cannot evaluate the condition " + condition);
        }

        bool equal = string.Equals(Expand(m.Groups[1].Value, properties), Expand(m.Groups[3].Value, properties), StringComparison.OrdinalIgnoreCase);
        return m.Groups[2].Value == "==" ? equal : !equal;
    }

    private static string Expand(string text, Dictionary<string, string> properties) =>
        Regex.Replace(text, @"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", m => properties.GetValueOrDefault(m.Groups[1].Value) ?? "");
}
