using CotaFirmware.Host.Cloud;

namespace CotaFirmware.Host.Cli;

/// <summary>Finds the platform that `cota-host cloud --data` runs on a folder, for the commands that talk to it.</summary>
public static class RunningPlatform
{
    /// <summary>The endpoints of the platform running on <paramref name="dataFolder"/>.</summary>
    /// <exception cref="UsageException">No platform ever ran there (the folder is the wrong one).</exception>
    /// <exception cref="RunFailedException">Its platform does not run now.</exception>
    public static PlatformEndpoints Find(string dataFolder)
    {
        var endpoints = PlatformEndpoints.Load(dataFolder);
        string start = "start one with `cota-host cloud --data " + dataFolder + "`";
        if (endpoints == null)
        {
            throw new UsageException("'" + dataFolder + "' holds no local platform (no " + PlatformEndpoints.FileName + "): " + start);
        }

        if (!endpoints.IsRunning || endpoints.ConsolePort == 0)
        {
            throw new RunFailedException("the local platform of '" + dataFolder + "' is not running: " + start);
        }

        return endpoints;
    }
}
