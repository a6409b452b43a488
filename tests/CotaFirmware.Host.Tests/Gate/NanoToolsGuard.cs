namespace CotaFirmware.HostTests.Gate;

/// <summary>What a test that needs the device tools does when they are absent.</summary>
public static class NanoToolsGuard
{
    /// <summary>Ends the calling test when the tools are absent (see <see cref="SharedData.Require"/>).</summary>
    public static void Require() => SharedData.Require("device build and nanoCLR run", NanoTools.Missing);
}
