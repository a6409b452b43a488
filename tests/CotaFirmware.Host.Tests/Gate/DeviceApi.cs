using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace CotaFirmware.HostTests.Gate;

/// <summary>
/// The device API reference stubs in tests/DeviceApi: public signatures of the nanoFramework packages the ESP32 glue
/// calls, transcribed from their sources. Each folder compiles, through the gate, into an assembly with the real name,
/// so that device sources (the ESP32 app, the device unit tests) can be compiled here against mscorlib, these stubs
/// and the core, and an API the device lacks fails a test instead of a Visual Studio build.
/// </summary>
public static class DeviceApi
{
    /// <summary>Every stub assembly with the stub assemblies it references, in dependency order.</summary>
    public static readonly (string Name, string[] References)[] Assemblies =
    {
        ("System.IO.Streams", Array.Empty<string>()),
        ("System.Threading", Array.Empty<string>()),
        ("nanoFramework.Runtime.Native", Array.Empty<string>()),
        ("System.Device.Gpio", Array.Empty<string>()),
        ("nanoFramework.System.Security.Cryptography", Array.Empty<string>()),
        ("nanoFramework.TestFramework", Array.Empty<string>()),
        ("nanoFramework.Networking.Sntp", Array.Empty<string>()),
        ("System.Net", new[] { "System.IO.Streams", "System.Threading" }),
        ("System.IO.FileSystem", new[] { "System.IO.Streams" }),
        ("System.Device.Wifi", new[] { "System.Net", "System.Threading" }),
        ("System.Net.Http", new[] { "System.Net", "System.IO.Streams" }),
        ("nanoFramework.M2Mqtt.Core", Array.Empty<string>()),
        ("nanoFramework.M2Mqtt", new[] { "nanoFramework.M2Mqtt.Core", "System.Net" }),
    };

    /// <summary>The name the core assembly gets when it is built for device sources to reference.</summary>
    public const string CoreAssembly = "CotaFirmware.Core";

    /// <summary>tests/DeviceApi.</summary>
    public static string Folder => Repo.Path("tests", "DeviceApi");

    /// <summary>The stub sources of one assembly, in a stable order.</summary>
    public static IEnumerable<string> Sources(string assembly) =>
        Directory.EnumerateFiles(Path.Combine(Folder, assembly), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    /// <summary>Where <paramref name="assembly"/> lands in a build directory.</summary>
    public static string Dll(string buildDir, string assembly) => Path.Combine(buildDir, assembly + ".dll");

    /// <summary>
    /// Compiles every stub assembly in dependency order, and the core, into <paramref name="buildDir"/>, each through the gate.
    /// </summary>
    /// <returns>One line per finding, prefixed with the assembly it concerns; empty when all pass.</returns>
    public static List<string> Build(string buildDir)
    {
        Directory.CreateDirectory(buildDir);
        var findings = new List<string>();
        var built = new HashSet<string>();
        var core = CompileList.Present(Repo.CoreFolder).Select(p => Path.Combine(Repo.CoreFolder, p)).ToList();
        var jobs = new List<(string Name, string[] References, IEnumerable<string> Sources)>(
            Assemblies.Select(a => (a.Name, a.References, Sources(a.Name))));
        jobs.Add((CoreAssembly, Array.Empty<string>(), core));

        // Each round compiles, side by side, every assembly whose references are built.
        while (jobs.Count > 0)
        {
            var ready = jobs.Where(j => j.References.All(built.Contains)).ToList();
            if (ready.Count == 0)
            {
                findings.Add("stub references form a cycle or name a missing assembly: " + string.Join(", ", jobs.Select(j => j.Name)));
                break;
            }

            var results = new IReadOnlyList<string>[ready.Count];
            Parallel.For(0, ready.Count, i => results[i] =
                NanoGate.Check(ready[i].Sources, ready[i].References.Select(r => Dll(buildDir, r)), buildDir, ready[i].Name));
            for (int i = 0; i < ready.Count; i++)
            {
                findings.AddRange(results[i].Select(f => ready[i].Name + ": " + f));
                built.Add(ready[i].Name);
                jobs.Remove(ready[i]);
            }
        }

        return findings;
    }

    /// <summary>
    /// Compiles device sources with <c>NANOFRAMEWORK_1_0</c> against mscorlib, the named stub assemblies and the core,
    /// all taken from a directory filled by <see cref="Build"/>, and checks the result with the gate.
    /// </summary>
    /// <returns>One line per compiler error or gate finding; empty when the sources pass.</returns>
    public static IReadOnlyList<string> CheckDeviceSources(string buildDir, IEnumerable<string> sources, IEnumerable<string> stubAssemblies, string assemblyName)
    {
        var references = stubAssemblies.Select(a => Dll(buildDir, a)).Append(Dll(buildDir, CoreAssembly)).ToList();
        var missing = references.Where(r => !File.Exists(r)).ToList();
        if (missing.Count > 0)
        {
            return missing.Select(m => "not built: " + m).ToList();
        }

        return NanoGate.Check(sources, references, Path.Combine(buildDir, "device-" + assemblyName), assemblyName);
    }

    /// <summary>The name an assembly's own metadata gives it.</summary>
    public static string AssemblyName(string dll)
    {
        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        return md.GetString(md.GetAssemblyDefinition().Name);
    }
}
