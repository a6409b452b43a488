using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace CotaFirmware.HostTests;

/// <summary>
/// Test data and tools that are not in the repository but in <c>shared/</c> beside the project root (or beside a folder
/// above it): where they are, and what a test does when they are absent.
/// </summary>
public static class SharedData
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

    /// <summary>
    /// Ends the calling test when <paramref name="missing"/> names something absent: inconclusive (skipped) on a
    /// developer's machine, failed where the <c>CI</c> environment variable is set, since CI runs beside shared/.
    /// </summary>
    /// <param name="tests">What is skipped, for the message (for example "JSONTestSuite conformance tests").</param>
    /// <param name="missing">What is absent and where it was looked for, or null when everything is there.</param>
    public static void Require(string tests, string? missing)
    {
        if (missing == null)
        {
            return;
        }

        string message = tests + " skipped: " + missing;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(message + " (required because CI is set)");
        }

        Assert.Inconclusive(message);
    }
}
