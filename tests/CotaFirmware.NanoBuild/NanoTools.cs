using System.Reflection;

namespace CotaFirmware.NanoBuild;

/// <summary>
/// Where the device build finds its tools: the SDK's own C# compiler, the device mscorlib (NuGet
/// nanoFramework.CoreLibrary), and nanoFramework's MetadataProcessor, nanoCLR and class libraries in
/// <c>shared/tools/nanoclr</c> beside the project root (or beside a folder above it).
/// </summary>
public static class NanoTools
{
    /// <summary>The SDK's csc.dll, run with <c>dotnet</c>.</summary>
    public static string Csc => Metadata("Csc");

    /// <summary>lib/mscorlib.dll of nanoFramework.CoreLibrary: what device code compiles against.</summary>
    public static string Mscorlib => Metadata("NanoMscorlib");

    /// <summary>The same package's mscorlib.pe: what nanoCLR loads first.</summary>
    public static string MscorlibPe => Path.ChangeExtension(Mscorlib, ".pe");

    /// <summary>The C# language version every SDK-style project gets from Directory.Build.props.</summary>
    public static string LangVersion => Metadata("LangVersion");

    /// <summary>The nanoclr tools folder, or null when neither the project root nor a folder above it has one.</summary>
    public static readonly string? Folder = FindFolder();

    /// <summary>The MetadataProcessor's launcher.</summary>
    public static string Nanomdp => Path.Combine(Folder!, "nanomdp");

    /// <summary>The interpreter's launcher.</summary>
    public static string Nanoclr => Path.Combine(Folder!, "nanoclr");

    /// <summary>The real nanoFramework class libraries, as .dll and .pe.</summary>
    public static string Libs => Path.Combine(Folder!, "libs");

    /// <summary>What is missing for a device build and a nanoCLR run, or null when everything is there.</summary>
    public static string? Missing =>
        Folder == null ? "no shared/tools/nanoclr (nanomdp, nanoclr, libs) beside " + Repo.Root + " or a folder above it"
        : !File.Exists(MscorlibPe) ? "no " + MscorlibPe
        : null;

    private static string Metadata(string key) =>
        typeof(NanoTools).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException("assembly metadata " + key + " is missing");

    private static string? FindFolder() =>
        SharedFolder.Find(Path.Combine("tools", "nanoclr"), candidate =>
            File.Exists(Path.Combine(candidate, "nanomdp")) && File.Exists(Path.Combine(candidate, "nanoclr")) && Directory.Exists(Path.Combine(candidate, "libs")));
}
