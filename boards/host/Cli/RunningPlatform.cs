using CotaFirmware.Host.Cloud;

namespace CotaFirmware.Host.Cli;

/// <summary>Finds the platform that `cota-host cloud --data` runs on a folder, for the commands that talk to it.</summary>
public static class RunningPlatform
{
    /// <summary>The endpoints of the platform running on <paramref name="dataFolder"/>.</summary>
    /// <exception cref="UsageException">None runs there.</exception>
    public static PlatformEndpoints Find(string dataFolder)
    {
        var endpoints = PlatformEndpoints.Load(dataFolder);
        if (endpoints is not { IsRunning: true } || endpoints.ConsolePort == 0)
        {
            throw new UsageException("no local platform runs on '" + dataFolder + "': start one with `cota-host cloud --data " + dataFolder + "`");
        }

        return endpoints;
    }
}
