using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace CotaFirmware.NanoBuild;

/// <summary>
/// Builds every device assembly of the solution in one configuration, as Visual Studio would: each .nfproj in
/// dependency order with its own compiler settings, against the device mscorlib, the real nanoFramework libraries
/// (libs/) and the projects it references; then the gate reads each result; then nanomdp converts them, and each
/// .pe's table sizes are read. Test projects compile against the project's own test runner instead of
/// nanoFramework.TestFramework (not served here).
/// </summary>
public sealed class DeviceBuild
{
    /// <summary>The configurations a device assembly must build and convert in.</summary>
    public static readonly string[] Configurations = { "Debug", "Release" };

    /// <summary>The test runner's assembly: tests/NanoTestRunner plus the generated list of test assemblies.</summary>
    public const string RunnerName = "CotaFirmware.NanoTestRunner";

    /// <summary>The package assemblies a test project references, which the runner stands in for here.</summary>
    private static readonly string[] TestFrameworkAssemblies = { "nanoFramework.TestFramework", "nanoFramework.UnitTestLauncher" };

    private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);

    private DeviceBuild(string configuration, string directory)
    {
        Configuration = configuration;
        Directory = directory;
    }

    /// <summary>Debug or Release.</summary>
    public string Configuration { get; }

    /// <summary>Where the .dll, .pdb, .pe and logs go.</summary>
    public string Directory { get; }

    /// <summary>Every assembly built, in build (dependency) order: the runner first when there are test projects.</summary>
    public List<BuiltAssembly> Assemblies { get; } = new();

    /// <summary>Problems of the solution as a whole (a reference cycle, a project reference outside the solution).</summary>
    public List<string> Problems { get; } = new();

    /// <summary>Wall time of the whole build.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>The built assembly called <paramref name="name"/>, or null.</summary>
    public BuiltAssembly? Find(string name) => Assemblies.FirstOrDefault(a => a.Name == name);

    /// <summary>
    /// Builds <paramref name="projects"/> in <paramref name="configuration"/> into <paramref name="directory"/> (emptied
    /// first; artifacts/nano/&lt;configuration&gt; when null).
    /// </summary>
    public static DeviceBuild Run(string configuration, IReadOnlyList<NfProject> projects, string? directory = null)
    {
        var build = new DeviceBuild(configuration, directory ?? Repo.Path("artifacts", "nano", configuration));
        var clock = Stopwatch.StartNew();
        build.BuildAll(projects);
        build.Elapsed = clock.Elapsed;
        return build;
    }

    private void BuildAll(IReadOnlyList<NfProject> projects)
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        System.IO.Directory.CreateDirectory(Directory);
        _known["mscorlib"] = NanoTools.Mscorlib;
        foreach (string lib in System.IO.Directory.EnumerateFiles(NanoTools.Libs, "*.dll"))
        {
            _known[Path.GetFileNameWithoutExtension(lib)] = lib;
        }

        var tests = projects.Where(p => p.IsTest).ToList();
        if (tests.Count > 0)
        {
            BuildRunner(tests);
        }

        foreach (var project in Order(projects))
        {
            BuildProject(project, projects);
        }

        ConvertAll();
    }

    // One nanomdp process converts them all (its start-up costs more than a conversion); when it reports anything,
    // each is converted on its own again, so that every error is told against its assembly.
    private void ConvertAll()
    {
        var compiled = Assemblies.Where(a => a.Compiled).ToList();
        var hints = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in compiled)
        {
            foreach (var (name, path) in Reach(a.Dll))
            {
                hints[name] = path;
            }
        }

        if (!MetadataProcessor.ConvertAll(compiled.Select(a => (a.Dll, a.Pe)).ToList(), hints))
        {
            foreach (var a in compiled)
            {
                Guarded(a, () => Convert(a));
            }
        }

        foreach (var a in compiled.Where(a => File.Exists(a.Pe)))
        {
            Guarded(a, () =>
            {
                a.PeSize = new FileInfo(a.Pe).Length;
                a.Tables = PeTables.Read(a.Pe);
            });
        }
    }

    private void Convert(BuiltAssembly built)
    {
        var hints = Reach(built.Dll);
        string? error = MetadataProcessor.Convert(built.Dll, built.Pe, hints);
        if (error != null && error.Contains("Byte code table overflow", StringComparison.Ordinal))
        {
            long size = ByteCodeMeasure.Of(built.Dll, hints);
            error += ": its byte code is " + size.ToString("N0") + " B of " + PeTables.Limit.ToString("N0") + " (" + (100.0 * size / PeTables.Limit).ToString("0.0") + "%)";
        }

        if (error != null)
        {
            built.Problems.Add("nanomdp: " + error);
        }
    }

    // Depth-first over ProjectReferences, so that every project comes after the ones it references.
    private List<NfProject> Order(IReadOnlyList<NfProject> projects)
    {
        var byPath = projects.ToDictionary(p => p.Path);
        var order = new List<NfProject>();
        var state = new Dictionary<string, bool>();   // false: on the current path, true: done
        void Visit(NfProject p)
        {
            if (state.TryGetValue(p.Path, out bool done))
            {
                if (!done)
                {
                    Problems.Add(Path.GetFileName(p.Path) + " is part of a ProjectReference cycle");
                }

                return;
            }

            state[p.Path] = false;
            foreach (string reference in p.ProjectReferences)
            {
                if (byPath.TryGetValue(reference, out var referenced))
                {
                    Visit(referenced);
                }
                else
                {
                    Problems.Add(Path.GetFileName(p.Path) + " references " + reference + ", which CotaFirmware.sln does not hold");
                }
            }

            state[p.Path] = true;
            order.Add(p);
        }

        foreach (var p in projects)
        {
            Visit(p);
        }

        return order;
    }

    private void BuildRunner(List<NfProject> tests)
    {
        var runner = new BuiltAssembly(RunnerName, null, exe: true, Directory);
        Assemblies.Add(runner);
        var sources = RunnerSources(Directory, tests.Select(t => t.AssemblyName));
        Guarded(runner, () => CompileAndCheck(runner, CompileOptions.Runner(Configuration), sources, new List<string>()));
    }

    /// <summary>The runner's sources: tests/NanoTestRunner and, written into <paramref name="directory"/>, the list of the test assemblies it runs.</summary>
    public static List<string> RunnerSources(string directory, IEnumerable<string> testAssemblies)
    {
        string generated = Path.Combine(directory, "TestAssemblies.cs");
        File.WriteAllText(generated,
            "namespace CotaFirmware.NanoTestRunner\n{\n    /// <summary>The test assemblies of this run (generated by the device build).</summary>\n"
            + "    internal static class TestAssemblies\n    {\n        public static readonly string[] Names = { "
            + string.Join(", ", testAssemblies.Select(t => "\"" + t + "\"")) + " };\n    }\n}\n");
        return System.IO.Directory.EnumerateFiles(Repo.Path("tests", "NanoTestRunner"), "*.cs").Order(StringComparer.Ordinal).Append(generated).ToList();
    }

    private void BuildProject(NfProject project, IReadOnlyList<NfProject> projects)
    {
        var built = new BuiltAssembly(project.AssemblyName, project, project.IsExe, Directory);
        Assemblies.Add(built);
        var references = new List<string>();
        foreach (var reference in project.References)
        {
            string? name = Resolve(project, reference, built);
            if (name != null && !references.Contains(name))
            {
                references.Add(name);
            }
        }

        foreach (string path in project.ProjectReferences)
        {
            var referenced = projects.FirstOrDefault(p => p.Path == path);
            if (referenced == null)
            {
                continue;   // reported by Order
            }

            if (project.IsCore && !referenced.IsCore)
            {
                built.Problems.Add("the core references " + referenced.AssemblyName + " (a core assembly may reference mscorlib and other core assemblies only)");
            }

            references.Add(referenced.AssemblyName);
        }

        foreach (string missing in project.Sources.Where(s => !File.Exists(s)))
        {
            built.Problems.Add(Path.GetFileName(project.Path) + " compiles " + missing + ", which does not exist");
        }

        if (built.Problems.Count == 0)
        {
            Guarded(built, () => CompileAndCheck(built, CompileOptions.For(project, Configuration), project.Sources, references));
        }
    }

    // Maps a Reference item to the assembly compiled against here; null (and a problem) when there is none.
    private string? Resolve(NfProject project, NfProject.Reference reference, BuiltAssembly built)
    {
        string pinned = reference.HintPath == null ? "" : Regex.Match(reference.HintPath, @"\\[^\\]+?\.(\d+\.\d+\.\d+)\\lib\\").Groups[1].Value;
        if (TestFrameworkAssemblies.Contains(reference.Name))
        {
            if (!project.IsTest)
            {
                built.Problems.Add("references " + reference.Name + " but is not a test project");
                return null;
            }

            return RunnerName;
        }

        if (project.IsCore && reference.Name != "mscorlib")
        {
            built.Problems.Add("the core references " + reference.Name + " (a core assembly may reference mscorlib and other core assemblies only)");
            return null;
        }

        if (!_known.TryGetValue(reference.Name, out string? dll))
        {
            built.Problems.Add("references " + reference.Name + ", which " + NanoTools.Libs + " does not have");
            return null;
        }

        string have = Version(dll);
        if (pinned.Length > 0 && pinned != have)
        {
            string note = reference.Name + ": the project pins " + pinned + ", compiled here against " + have;
            if (reference.Name == "mscorlib")
            {
                built.Problems.Add(note);
            }
            else
            {
                built.Notes.Add(note);
            }
        }

        return reference.Name;
    }

    // A tool or a reader that throws fails this assembly, by name, and the build goes on with the others.
    private static void Guarded(BuiltAssembly built, Action step)
    {
        try
        {
            step();
        }
        catch (Exception e)
        {
            built.Problems.Add("the device build failed on it: " + e);
        }
    }

    private void CompileAndCheck(BuiltAssembly built, CompileOptions options, IReadOnlyList<string> sources, List<string> references)
    {
        var paths = new List<string>();
        foreach (string name in references.Where(r => r != "mscorlib"))
        {
            var dependency = Find(name);
            if (dependency != null && !dependency.Compiled)
            {
                built.Problems.Add("not compiled: it references " + name + ", which did not compile");
                return;
            }

            paths.Add(_known[name]);
        }

        var errors = DeviceCompiler.Compile(options, sources, paths, built.Dll);
        if (errors.Count > 0)
        {
            built.Problems.AddRange(errors);
            return;
        }

        built.Compiled = true;
        _known[built.Name] = built.Dll;
        built.Problems.AddRange(NanoGate.Inspect(built.Dll, references.ToArray()).Select(f => "gate: " + f));
    }

    /// <summary>
    /// Appends to <paramref name="load"/> the .pe files nanoCLR needs for <paramref name="name"/>, dependencies first and
    /// each once: the built assemblies and the libraries from libs/ it reaches (mscorlib is the caller's first entry).
    /// What keeps one from loading (not built, not converted) goes to <paramref name="blockers"/>.
    /// </summary>
    public void AddLoadOrder(string name, List<string> load, List<string> blockers) => AddLoadOrder(name, load, blockers, new HashSet<string>());

    private void AddLoadOrder(string name, List<string> load, List<string> blockers, HashSet<string> seen)
    {
        if (name == "mscorlib" || !seen.Add(name))
        {
            return;
        }

        var built = Find(name);
        string dll = built?.Dll ?? Path.Combine(NanoTools.Libs, name + ".dll");
        string pe = built?.Pe ?? Path.Combine(NanoTools.Libs, name + ".pe");
        if (!File.Exists(dll))
        {
            blockers.Add(name + " is neither built nor in libs/");
            return;
        }

        foreach (string reference in References(dll))
        {
            AddLoadOrder(reference, load, blockers, seen);
        }

        if (built != null && built.Tables == null)
        {
            blockers.Add(name + " (" + Configuration + ") did not convert: " + string.Join(" ", built.Problems.Take(2)));
        }
        else if (!load.Contains(pe))
        {
            load.Add(pe);
        }
    }

    /// <summary>Every assembly <paramref name="dll"/> reaches through its references, by name, with its path.</summary>
    public Dictionary<string, string> Reach(string dll)
    {
        var reached = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new Stack<string>(References(dll));
        while (pending.Count > 0)
        {
            string name = pending.Pop();
            if (!reached.ContainsKey(name) && _known.TryGetValue(name, out string? path))
            {
                reached[name] = path;
                foreach (string next in References(path))
                {
                    pending.Push(next);
                }
            }
        }

        return reached;
    }

    /// <summary>The names of the assemblies <paramref name="dll"/> references.</summary>
    public static List<string> References(string dll)
    {
        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        return md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
    }

    private static string Version(string dll)
    {
        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        var v = pe.GetMetadataReader().GetAssemblyDefinition().Version;
        return v.Major + "." + v.Minor + "." + v.Build;
    }
}
