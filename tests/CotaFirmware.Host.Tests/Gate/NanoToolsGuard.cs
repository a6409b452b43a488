using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace CotaFirmware.HostTests.Gate;

/// <summary>What a test that needs the device tools does when they are absent.</summary>
public static class NanoToolsGuard
{
    /// <summary>
    /// Ends the calling test when the tools are absent: inconclusive (skipped) on a developer's machine, failed where
    /// the <c>CI</c> environment variable is set, since CI runs beside the tools.
    /// </summary>
    public static void Require()
    {
        string? missing = NanoTools.Missing;
        if (missing == null)
        {
            return;
        }

        string message = "device build and nanoCLR run skipped: " + missing;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(message + " (required because CI is set)");
        }

        Assert.Inconclusive(message);
    }
}
