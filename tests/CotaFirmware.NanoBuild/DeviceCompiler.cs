namespace CotaFirmware.NanoBuild;

/// <summary>
/// How one device assembly is compiled: the settings a Visual Studio build of its .nfproj passes to the compiler.
/// </summary>
/// <param name="LangVersion">The C# language version.</param>
/// <param name="Defines">The preprocessor symbols, separated by ';'.</param>
/// <param name="Optimize">True for a Release build.</param>
/// <param name="Exe">True for an application, false for a class library.</param>
/// <param name="WarningsAsErrors">The project's TreatWarningsAsErrors.</param>
/// <param name="Documentation">True when the project writes its XML documentation (and so warns on a missing comment).</param>
/// <param name="NoWarn">Warnings the project turns off, separated by ';' or ','.</param>
public sealed record CompileOptions(string LangVersion, string Defines, bool Optimize, bool Exe, bool WarningsAsErrors, bool Documentation, string NoWarn)
{
    /// <summary>The symbol nanoFramework's project system defines in every build.</summary>
    public const string DeviceSymbol = "NANOFRAMEWORK_1_0";

    /// <summary>A library with the solution's language version and nothing else: what the gate's own tests compile.</summary>
    public static readonly CompileOptions Plain = new(NanoTools.LangVersion, DeviceSymbol, false, false, false, false, "");

    /// <summary>The settings of <paramref name="project"/> in <paramref name="configuration"/> (Debug or Release).</summary>
    public static CompileOptions For(NfProject project, string configuration)
    {
        var p = project.Evaluate(configuration);
        return new CompileOptions(
            p.GetValueOrDefault("LangVersion") ?? NanoTools.LangVersion,
            p["DefineConstants"] + ";" + DeviceSymbol,
            Is(p, "Optimize"),
            project.IsExe,
            Is(p, "TreatWarningsAsErrors"),
            !string.IsNullOrEmpty(p.GetValueOrDefault("DocumentationFile")),
            p.GetValueOrDefault("NoWarn") ?? "");
    }

    /// <summary>The settings of the test runner, which has no project: the configuration's defaults and the solution's language version.</summary>
    public static CompileOptions Runner(string configuration) => configuration == "Debug"
        ? new(NanoTools.LangVersion, "DEBUG;TRACE;" + DeviceSymbol, false, true, true, false, "")
        : new(NanoTools.LangVersion, "TRACE;" + DeviceSymbol, true, true, true, false, "");

    private static bool Is(Dictionary<string, string> p, string name) => string.Equals(p.GetValueOrDefault(name), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The one way device code is compiled here: the .NET SDK's own C# compiler, with no standard library, against the
/// device mscorlib and the given references. The portable PDB goes beside the assembly (the MetadataProcessor reads it
/// for the device's debug file, the gate for source file names).
/// </summary>
public static class DeviceCompiler
{
    /// <summary>Compiles <paramref name="sources"/> into <paramref name="dll"/> (.dll or .exe).</summary>
    /// <returns>The compiler's error lines; empty when it succeeded.</returns>
    public static List<string> Compile(CompileOptions options, IEnumerable<string> sources, IEnumerable<string> references, string dll)
    {
        string rsp = Path.ChangeExtension(dll, ".rsp");
        var args = new List<string>
        {
            "-nologo", "-noconfig", "-nostdlib+", "-deterministic",
            "-target:" + (options.Exe ? "exe" : "library"),
            "-langversion:" + options.LangVersion,
            "-define:" + options.Defines,
            "-optimize" + (options.Optimize ? "+" : "-"),
            "-debug:portable",
            "-out:" + Quote(dll),
            "-reference:" + Quote(NanoTools.Mscorlib),
        };
        if (options.WarningsAsErrors)
        {
            args.Add("-warnaserror+");
        }

        if (options.Documentation)
        {
            args.Add("-doc:" + Quote(Path.ChangeExtension(dll, ".xml")));
        }

        if (options.NoWarn.Length > 0)
        {
            args.Add("-nowarn:" + options.NoWarn.Replace(';', ','));
        }

        args.AddRange(references.Select(r => "-reference:" + Quote(r)));
        args.AddRange(sources.Select(Quote));
        File.WriteAllLines(rsp, args);

        var (exit, stdout, stderr) = ToolProcess.Run(ToolProcess.Dotnet, new[] { NanoTools.Csc, "@" + rsp }, TimeSpan.FromMinutes(5));
        var lines = (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.Contains(": error ")).ToList();
        if (exit != 0 && errors.Count == 0)
        {
            errors.Add("compiler failed (exit " + exit + "): " + string.Join(" | ", lines));
        }

        return errors;
    }

    private static string Quote(string s) => "\"" + s + "\"";
}
