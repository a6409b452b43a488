using CotaFirmware.Json;

namespace CotaFirmware.HostTests.Json;

/// <summary>Conformance with JSONTestSuite (read at run time from shared/testdata beside the repository), at every window size.</summary>
[TestClass]
public sealed class JsonTestSuiteTests
{
    private const string Relative = "testdata/JSONTestSuite/test_parsing";

    // shared/ sits beside the clone (../shared); a git worktree sits one level deeper.
    private static readonly string? Folder = SharedFolder.Find(Relative, Directory.Exists);

    private static IEnumerable<string> Cases(string prefix)
    {
        SharedData.Require("JSONTestSuite conformance tests",
            Folder == null ? "no shared/" + Relative + " (expected at " + SharedFolder.Expected(Relative) + " or in a folder above it)" : null);
        var files = Directory.GetFiles(Folder!, prefix + "*.json").OrderBy(f => f, StringComparer.Ordinal).ToList();
        Assert.IsTrue(files.Count > 0, "no " + prefix + " cases in " + Folder);
        return files;
    }

    // Every size for small documents; for big ones the small sizes, a spread, and the whole document.
    private static IEnumerable<int> WindowSizes(int length)
    {
        if (length <= 96)
        {
            return Enumerable.Range(1, length + 1);
        }

        var sizes = new SortedSet<int>(Enumerable.Range(1, 24));
        for (double s = 24; s < length; s *= 1.45)
        {
            sizes.Add((int)s);
        }

        sizes.Add(length - 1);
        sizes.Add(length);
        sizes.Add(length + 1);
        return sizes;
    }

    private static List<string> CheckAllWindows(string file, JsonRun whole)
    {
        byte[] doc = File.ReadAllBytes(file);
        var problems = new List<string>();
        var random = new Random(doc.Length);
        foreach (int window in WindowSizes(doc.Length))
        {
            // Alternate whole-window refills with random short reads from the source.
            var run = JsonRun.Of(doc, window, int.MaxValue, window % 2 == 0 ? random : null);
            if (!run.Matches(whole, out string why))
            {
                problems.Add($"{Path.GetFileName(file)} window {window}: {why}");
            }
            else if (run.Error == JsonError.TokenTooLong && window > doc.Length)
            {
                problems.Add($"{Path.GetFileName(file)} window {window}: TokenTooLong though the whole document fits");
            }
            else if (run.Error == JsonError.TokenTooLong && whole.Error == JsonError.None && window > whole.LongestToken)
            {
                problems.Add($"{Path.GetFileName(file)} window {window}: TokenTooLong though the longest token has {whole.LongestToken} bytes");
            }
        }

        return problems;
    }

    // Runs every case whose name starts with prefix whole; a case whose whole run is wrong is a problem, the others are
    // then checked at every window size.
    private static void CheckEveryCase(string prefix, Func<JsonRun, string?> wrongWhole)
    {
        var problems = new List<string>();
        foreach (string file in Cases(prefix))
        {
            var whole = JsonRun.Of(File.ReadAllBytes(file), 0);
            string? wrong = wrongWhole(whole);
            if (wrong != null)
            {
                problems.Add($"{Path.GetFileName(file)}: {wrong}");
                continue;
            }

            problems.AddRange(CheckAllWindows(file, whole));
        }

        Assert.AreEqual(0, problems.Count, string.Join("\n", problems.Take(40)));
    }

    [TestMethod]
    public void EveryYesCaseParsesAtEveryWindowSize() => CheckEveryCase("y_", whole =>
        whole.Error == JsonError.None ? null : $"rejected with {whole.Error} at {whole.ErrorOffset}");

    [TestMethod]
    public void EveryNoCaseIsRejectedWithADefinedErrorAtEveryWindowSize() => CheckEveryCase("n_", whole =>
        whole.Error == JsonError.None || whole.Error == JsonError.TokenTooLong || whole.Error == JsonError.SourceFailed
            || !Enum.IsDefined(whole.Error) ? $"accepted or wrong error ({whole.Error})" : null);

    [TestMethod]
    public void EveryImplementationDefinedCaseEndsWithoutCrashAtEveryWindowSize() => CheckEveryCase("i_", whole =>
        Enum.IsDefined(whole.Error) ? null : $"ended with an undefined error ({whole.Error})");

    [TestMethod]
    public void ImplementationDefinedCasesAreDecidedAsDocumented()
    {
        // What this reader chose where RFC 8259 leaves the choice open: strict everywhere.
        var verdicts = Cases("i_").ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => JsonRun.Of(File.ReadAllBytes(f), 0).Error);
        Assert.AreEqual(JsonError.InvalidSurrogate, verdicts["i_string_1st_surrogate_but_2nd_missing"]);
        Assert.AreEqual(JsonError.InvalidSurrogate, verdicts["i_string_incomplete_surrogate_and_escape_valid"]);
        Assert.AreEqual(JsonError.InvalidUtf8, verdicts["i_string_UTF-8_invalid_sequence"]);
        Assert.AreEqual(JsonError.UnexpectedCharacter, verdicts["i_structure_UTF-8_BOM_empty_object"]);
        Assert.AreEqual(JsonError.None, verdicts["i_number_huge_exp"]);
        Assert.AreEqual(JsonError.DepthExceeded, verdicts["i_structure_500_nested_arrays"]);
    }
}
