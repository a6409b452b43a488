using System.Xml.Linq;

namespace CotaFirmware.HostTests.Gate;

/// <summary>One layer folder of the core as projects: one assembly, built by a csproj and by its .Device.nfproj twin.</summary>
public sealed record CoreLayer(string Name, string Csproj, string Nfproj, string AssemblyName, string DeviceAssemblyName,
    IReadOnlyList<string> References, IReadOnlyList<string> DeviceReferences)
{
    /// <summary>Bottom to top: a layer may reference only layers before it. README's and docs/architecture.md's layer tables follow this order.</summary>
    public static readonly string[] Order = { "Platform", "Text", "Timing", "Crypto", "Json", "Mqtt", "Linkkit", "Config", "Cota", "Network", "App" };

    public static List<CoreLayer> All() =>
        Directory.EnumerateDirectories(Repo.CoreFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Select(name => Load(name!)).ToList();

    /// <summary>Every layer <paramref name="layer"/> reaches through its csproj references, directly or not.</summary>
    public static IEnumerable<CoreLayer> Closure(CoreLayer layer, IReadOnlyList<CoreLayer> all)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>(layer.References);
        while (stack.Count > 0)
        {
            string name = stack.Pop();
            if (seen.Add(name))
            {
                foreach (string next in all.Single(l => l.Name == name).References)
                {
                    stack.Push(next);
                }
            }
        }

        return all.Where(l => seen.Contains(l.Name));
    }

    private static CoreLayer Load(string name)
    {
        string folder = Path.Combine(Repo.CoreFolder, name);
        string csproj = Path.Combine(folder, "CotaFirmware." + name + ".csproj");
        string nfproj = Path.Combine(folder, "CotaFirmware." + name + ".Device.nfproj");
        if (!File.Exists(csproj) || !File.Exists(nfproj))
        {
            throw new AssertFailedException(folder + " should hold CotaFirmware." + name + ".csproj and CotaFirmware." + name + ".Device.nfproj");
        }

        var cs = XDocument.Load(csproj);
        var nf = XDocument.Load(nfproj);
        string assembly = Values(cs, "AssemblyName").SingleOrDefault() ?? Path.GetFileNameWithoutExtension(csproj);
        return new CoreLayer(name, csproj, nfproj, assembly, Values(nf, "AssemblyName").Single(),
            LayerReferences(cs), LayerReferences(nf));
    }

    private static IEnumerable<string> Values(XDocument doc, string element) =>
        doc.Descendants().Where(e => e.Name.LocalName == element).Select(e => e.Value);

    // References look like ..\Json\CotaFirmware.Json.csproj: the folder names the layer.
    private static List<string> LayerReferences(XDocument doc) =>
        doc.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => ((string)e.Attribute("Include")!).Replace('\\', '/').Split('/')[1]).ToList();
}
