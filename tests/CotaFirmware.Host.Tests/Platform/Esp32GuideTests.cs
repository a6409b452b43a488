using System.Text.Json;
using System.Text.RegularExpressions;
using CotaFirmware.Host.Cli;
using CotaFirmware.HostTests.HostApp;

namespace CotaFirmware.HostTests.Platform;

/// <summary>docs/esp32.md against what it describes: the board table and every nanoff target match the board files, a
/// board whose module is not revision 3 takes an image that runs on every revision, the files and commands the guide
/// names exist, and every device.json key is explained.</summary>
[TestClass]
public sealed partial class Esp32GuideTests
{
    private static readonly string Guide = File.ReadAllText(Repo.Path("docs", "esp32.md"));

    private static Dictionary<string, (string Target, string Notes)> Boards() =>
        Directory.EnumerateDirectories(Repo.Path("boards")).Where(d => File.Exists(Path.Combine(d, "board.json"))).ToDictionary(
            d => Path.GetFileName(d),
            d =>
            {
                using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(d, "board.json")));
                return (json.RootElement.GetProperty("target").GetString()!,
                    json.RootElement.TryGetProperty("notes", out var n) ? n.GetString()! : "");
            });

    [TestMethod]
    public void TheBoardTableNamesEachBoardsTarget()
    {
        foreach (var (board, (target, _)) in Boards())
        {
            var row = Guide.Split('\n').SingleOrDefault(l => l.StartsWith("| `" + board + "` |", StringComparison.Ordinal));
            Assert.IsNotNull(row, board + " has no row in the board table");
            string shown = row.Split('|')[2].Trim();
            Assert.AreEqual(target == "host" ? "(none)" : "`" + target + "`", shown, board);
        }
    }

    [TestMethod]
    public void EveryTargetTheGuideFlashesIsABoardsTarget()
    {
        var targets = Boards().Values.Select(b => b.Target).ToHashSet(StringComparer.Ordinal);
        var flashed = TargetOption().Matches(Guide).Select(m => m.Groups[1].Value).ToArray();
        Assert.IsTrue(flashed.Length >= 2, "the guide flashes and deploys with --target");
        foreach (var target in flashed)
        {
            Assert.IsTrue(targets.Contains(target), "`--target " + target + "` in the guide is no board's target");
        }
    }

    [TestMethod]
    public void ABoardWhoseModuleIsNotRevisionThreeTakesTheImageForEveryRevision()
    {
        foreach (var (board, (target, notes)) in Boards())
        {
            // WROOM-32 / WROVER modules without the E suffix carry revision 1 chips; REV3 images need revision 3.
            bool revisionThree = Regex.IsMatch(notes, @"\b(WROOM-32E|WROVER-E)\b") && !Regex.IsMatch(notes, @"\bWROOM-32\b(?!E)|\bWROVER\b(?!-E)");
            if (Regex.IsMatch(notes, @"\bWROOM-32\b(?!E)|\bWROVER\b(?!-E)"))
            {
                Assert.IsFalse(target.EndsWith("_REV3", StringComparison.Ordinal), board + " names a revision 1 module but targets " + target);
            }

            if (target.EndsWith("_REV3", StringComparison.Ordinal))
            {
                Assert.IsTrue(revisionThree, board + " targets " + target + " without naming a revision 3 module");
            }
        }
    }

    [TestMethod]
    public void TheFilesTheGuideDeploysExist()
    {
        var deployments = FileDeployment().Matches(Guide).Select(m => m.Groups[1].Value).ToArray();
        Assert.IsTrue(deployments.Length >= 1);
        foreach (var deployment in deployments)
        {
            string path = Repo.Path(deployment.Split('\\'));
            Assert.IsTrue(File.Exists(path), deployment);
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            foreach (var file in json.RootElement.GetProperty("files").EnumerateArray())
            {
                string source = file.GetProperty("SourceFilePath").GetString()!;
                // device.json is each owner's own, made from the example the guide names.
                Assert.IsTrue(source == "device.json" || File.Exists(Repo.Path(source.Split('\\'))), deployment + " deploys a missing " + source);
            }
        }

        StringAssert.Contains(Guide, "boards/device.example.json");
    }

    [TestMethod]
    public void EveryDeviceJsonKeyIsExplained()
    {
        using var example = JsonDocument.Parse(File.ReadAllBytes(Repo.Path("boards", "device.example.json")));
        foreach (var key in example.RootElement.EnumerateObject().Select(p => p.Name))
        {
            Assert.IsTrue(Regex.IsMatch(Guide, @"^\| [^|]*`" + Regex.Escape(key) + "`", RegexOptions.Multiline), key + " is not in the device.json table");
        }
    }

    [TestMethod]
    public void EveryCotaHostCommandInTheGuideUsesOptionsTheCommandHas()
    {
        var helps = new[] { "publish", "device", "cloud", "status", "flash" }.ToDictionary(c => c, c => CommandLineTests.Run(c, "--help").Out);
        var commands = CotaHost().Matches(Guide).Select(m => m.Value).ToArray();
        Assert.IsTrue(commands.Length >= 2, "the guide shows publish --broker and device --plain");
        foreach (var command in commands)
        {
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.IsTrue(helps.TryGetValue(words[1], out var help), command);
            foreach (var option in words.Where(w => w.StartsWith("--", StringComparison.Ordinal)))
            {
                StringAssert.Contains(help, option, command);
            }
        }
    }

    [GeneratedRegex(@"--target ([A-Z0-9_]+)")]
    private static partial Regex TargetOption();

    [GeneratedRegex(@"--filedeployment ([^\s`]+)")]
    private static partial Regex FileDeployment();

    [GeneratedRegex(@"cota-host (publish|device|cloud|status|flash)[^\n`]*")]
    private static partial Regex CotaHost();
}
