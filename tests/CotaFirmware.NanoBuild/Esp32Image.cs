using System.Text.Json;

namespace CotaFirmware.NanoBuild;

/// <summary>
/// The ESP32 application as nanoCLR runs it: its device build, the .pe files in load order, and the files that
/// <c>nanoff --filedeployment</c> puts on <c>I:\</c> (board.json, device.json, the root CA).
/// </summary>
public static class Esp32Image
{
    /// <summary>The application's assembly.</summary>
    public const string Application = "CotaFirmware.Esp32";

    /// <summary>The board definition made for nanoCLR: the DevKitC's buffers and limits, a 64 KiB config allowed.</summary>
    public static string BoardJson => Repo.Path("boards", "nanoclr", "board.json");

    /// <summary>The nanoCLR board's board.json with <paramref name="mqttTransport"/> (<c>core</c> or <c>m2mqtt</c>) as its MQTT session.</summary>
    public static string Board(string mqttTransport) =>
        File.ReadAllText(BoardJson).Replace("\"mqttTransport\": \"core\"", "\"mqttTransport\": \"" + mqttTransport + "\"", StringComparison.Ordinal);

    /// <summary>device.json for a device of the local IoT platform at <paramref name="host"/> that holds its secret: MQTT over TLS, registration over HTTPS.</summary>
    public static object LocalDevice(string productKey, string deviceName, string deviceSecret, string host, int mqttTlsPort, int httpsPort) => new
    {
        productKey, deviceName, deviceSecret, mqttDomain = host, mqttPort = mqttTlsPort, httpDomain = host + ":" + httpsPort,
    };

    /// <summary>Builds the core layers and the application in <paramref name="configuration"/> into <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidOperationException">The build failed; the message names each problem.</exception>
    public static DeviceBuild Build(string configuration, string directory)
    {
        var projects = NfProject.InSolution().Where(p => p.IsCore || p.AssemblyName == Application).ToList();
        var build = DeviceBuild.Run(configuration, projects, directory);
        var problems = build.Problems.Concat(build.Assemblies.SelectMany(a => a.Problems.Select(p => a.Name + ": " + p))).ToList();
        if (problems.Count > 0 || build.Assemblies.Any(a => !a.Ok))
        {
            throw new InvalidOperationException("the device build failed:\n  " + string.Join("\n  ", problems));
        }

        return build;
    }

    /// <summary>The .pe files nanoCLR loads for the application of <paramref name="build"/>, mscorlib first.</summary>
    /// <exception cref="InvalidOperationException">Something it needs was not built or did not convert.</exception>
    public static List<string> LoadOrder(DeviceBuild build)
    {
        var load = new List<string> { NanoTools.MscorlibPe };
        var blockers = new List<string>();
        build.AddLoadOrder(Application, load, blockers);
        if (blockers.Count > 0)
        {
            throw new InvalidOperationException("the ESP32 application cannot load: " + string.Join("; ", blockers));
        }

        return load;
    }

    /// <summary>
    /// Lays out <paramref name="folder"/> as the device's <c>I:\</c> after <c>nanoff --filedeployment</c>: board.json
    /// (<paramref name="boardJson"/>'s text), device.json from <paramref name="device"/> (its properties are the file's
    /// keys), and root-ca.pem. What the firmware wrote there itself (its <c>cota</c> folder) is kept.
    /// </summary>
    public static void Deploy(string folder, string boardJson, object device, string rootCaPem)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "board.json"), boardJson);
        File.WriteAllText(Path.Combine(folder, "device.json"), JsonSerializer.Serialize(device));
        File.WriteAllText(Path.Combine(folder, "root-ca.pem"), rootCaPem);
    }
}
