using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CotaFirmware.HostTests.Gate;

/// <summary>
/// The nanoFramework package versions the device projects pin (mscorlib 1.17.11 line; docs/esp32.md, "Device packages"), and
/// the check that a project's HintPaths and its packages.config agree with them.
/// </summary>
public static class PackagePins
{
    /// <summary>Each package and its established version.</summary>
    public static readonly Dictionary<string, string> Established = new()
    {
        ["nanoFramework.CoreLibrary"] = "1.17.11",
        ["nanoFramework.System.Device.Wifi"] = "1.5.144",
        ["nanoFramework.System.Net"] = "1.11.60",
        ["nanoFramework.System.Net.Http.Client"] = "1.5.207",
        ["nanoFramework.System.IO.FileSystem"] = "1.1.87",
        ["nanoFramework.System.IO.Streams"] = "1.1.96",
        ["nanoFramework.System.Threading"] = "1.1.52",
        ["nanoFramework.System.Text"] = "1.3.42",
        ["nanoFramework.Runtime.Events"] = "1.11.39",
        ["nanoFramework.Runtime.Native"] = "1.7.11",
        ["nanoFramework.System.Collections"] = "1.5.67",
        ["nanoFramework.System.Device.Gpio"] = "1.1.57",
        ["nanoFramework.M2Mqtt"] = "5.1.215",
        ["nanoFramework.M2Mqtt.Core"] = "5.1.215",
        ["nanoFramework.Networking.Sntp"] = "1.6.42",
        ["nanoFramework.TestFramework"] = "3.0.80",
    };

    /// <summary>
    /// Asserts that every HintPath of <paramref name="project"/> is packages\&lt;id&gt;.&lt;version&gt;\lib\&lt;asm&gt; at the
    /// repository root for a package of its packages.config, and that every package there is at its established version.
    /// </summary>
    public static void Check(NfProject project)
    {
        string config = Path.Combine(project.Folder, "packages.config");
        Assert.IsTrue(File.Exists(config), project.Path + " has no packages.config");
        var packages = XDocument.Load(config).Descendants("package")
            .ToDictionary(p => (string)p.Attribute("id")!, p => (string)p.Attribute("version")!);
        foreach (var (id, version) in packages)
        {
            Assert.IsTrue(Established.TryGetValue(id, out string? established), config + ": " + id + " has no established version");
            Assert.AreEqual(established, version, config + ": " + id);
        }

        string root = Path.GetRelativePath(project.Folder, Repo.Root).Replace('/', '\\');
        var hints = project.References.Where(r => r.HintPath != null).Select(r => r.HintPath!).ToList();
        Assert.AreEqual(project.References.Count, hints.Count, project.Path + ": a Reference without a HintPath");
        foreach (string hint in hints)
        {
            var m = Regex.Match(hint, "^" + Regex.Escape(root + "\\packages\\") + @"(.+?)\.(\d+\.\d+\.\d+)\\lib\\[^\\]+\.(?:dll|exe)$");
            Assert.IsTrue(m.Success, project.Path + ": unexpected HintPath " + hint);
            Assert.IsTrue(packages.TryGetValue(m.Groups[1].Value, out string? v) && v == m.Groups[2].Value,
                project.Path + ": " + hint + " is not a package of packages.config");
        }
    }
}
