namespace CotaFirmware.NanoBuild;

/// <summary>Converts a compiled assembly into the .pe that nanoCLR and devices load, with nanoFramework's MetadataProcessor.</summary>
public static class MetadataProcessor
{
    /// <summary>Converts every (dll, pe) pair in one run of the MetadataProcessor.</summary>
    /// <returns>True when every .pe was written and nothing was reported; false leaves the caller to convert one by one.</returns>
    public static bool ConvertAll(IReadOnlyList<(string Dll, string Pe)> assemblies, IReadOnlyDictionary<string, string> hints)
    {
        var args = Hints(hints);
        foreach (var (dll, pe) in assemblies)
        {
            File.Delete(pe);
            args.AddRange(new[] { "-parse", dll, "-compile", pe, "false" });
        }

        var (exit, _, stderr) = ToolProcess.Run(NanoTools.Nanomdp, args, TimeSpan.FromMinutes(10));
        return exit == 0 && stderr.Trim().Length == 0 && assemblies.All(a => File.Exists(a.Pe));
    }

    /// <summary>
    /// Converts <paramref name="dll"/> into <paramref name="pe"/>, resolving its references through
    /// <paramref name="hints"/> (assembly name to absolute .dll path, every assembly it may reach).
    /// </summary>
    /// <returns>Null when the .pe was written and nothing was reported; else what went wrong.</returns>
    public static string? Convert(string dll, string pe, IReadOnlyDictionary<string, string> hints)
    {
        File.Delete(pe);
        var args = Hints(hints);
        args.AddRange(new[] { "-parse", dll, "-compile", pe, "false" });
        var (exit, stdout, stderr) = ToolProcess.Run(NanoTools.Nanomdp, args, TimeSpan.FromMinutes(5));
        File.WriteAllText(Path.ChangeExtension(pe, ".mdp.log"), stdout + stderr);

        // It prints some failures (an exception while minimizing) and carries on with exit code 0: any error text counts.
        string reported = string.Join(" ", stderr.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("at ", StringComparison.Ordinal)));
        if (exit != 0 || reported.Length > 0 || !File.Exists(pe))
        {
            File.Delete(pe);
            return (reported.Length > 0 ? reported : "nanomdp failed") + " (exit " + exit + ")";
        }

        return null;
    }

    private static List<string> Hints(IReadOnlyDictionary<string, string> hints)
    {
        var args = new List<string>();
        foreach (var (name, path) in hints.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            args.Add("-loadHints");
            args.Add(name);
            args.Add(path);
        }

        return args;
    }
}
