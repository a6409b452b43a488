namespace CotaFirmware.HostTests;

/// <summary>What a test does when the data or tools it needs from <c>shared/</c> (see <see cref="SharedFolder"/>) are absent.</summary>
public static class SharedData
{
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

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(tests + " cannot run: " + missing + " (required because CI is set)");
        }

        Assert.Inconclusive(tests + " skipped: " + missing);
    }
}
