using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace CotaFirmware.HostTests.Gate;

/// <summary>
/// Runs one configuration's test assemblies on nanoCLR through the project's test runner and reads its result lines.
/// The tests expected are read from the test assemblies' metadata, so a test the interpreter never reached (a crash,
/// a hang killed at the timeout, attributes nanoCLR did not see) is a failure, not a silent gap.
/// </summary>
public sealed class NanoClrRun
{
    /// <summary>How long the interpreter may take for all tests of a configuration before it is killed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Starts every line the runner prints for the host (tests/NanoTestRunner/TestLauncher.cs).</summary>
    private const string Prefix = "[nanotest] ";

    private readonly Dictionary<string, string?> _outcomes = new(StringComparer.Ordinal);

    private NanoClrRun(string configuration)
    {
        Configuration = configuration;
    }

    /// <summary>Debug or Release.</summary>
    public string Configuration { get; }

    /// <summary>Every test the test assemblies hold, as Namespace.Class.Method, in assembly order; then anything else the runner reported.</summary>
    public List<string> Tests { get; } = new();

    /// <summary>Why the interpreter was not started, or null.</summary>
    public string? NotRun { get; private set; }

    /// <summary>True when the runner printed its completion line.</summary>
    public bool Completed { get; private set; }

    /// <summary>The interpreter's exit code (-1 when it was killed at the timeout).</summary>
    public int Exit { get; private set; }

    /// <summary>The interpreter's whole output.</summary>
    public string Log { get; private set; } = "";

    /// <summary>Wall time of the interpreter run.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>How many tests passed.</summary>
    public int Passed => Tests.Count(t => Outcome(t) == null);

    /// <summary>Null when <paramref name="test"/> passed; else why it failed or did not run.</summary>
    public string? Outcome(string test)
    {
        if (NotRun != null)
        {
            return "not run on nanoCLR: " + NotRun;
        }

        if (_outcomes.TryGetValue(test, out string? failure))
        {
            return failure;
        }

        if (!Completed)
        {
            return "not run: the interpreter ended without the runner's completion line (" + (Exit == -1 ? "killed after " + Timeout.TotalSeconds + " s" : "exit code " + Exit)
                + "); " + (LastStarted == null ? "no test was running" : "it stopped in " + LastStarted) + ". Last output: " + Tail();
        }

        return "not run: the runner did not find it (nanoCLR did not report its TestClass or TestMethod attribute)";
    }

    /// <summary>What is wrong with the run as a whole (no completion line, a bad exit), or null.</summary>
    public string? RunProblem =>
        NotRun != null ? "not run on nanoCLR: " + NotRun
        : !Completed ? "the interpreter ended without the runner's completion line (" + (Exit == -1 ? "killed after " + Timeout.TotalSeconds + " s" : "exit code " + Exit) + "). Last output: " + Tail()
        : Exit != 0 ? "the interpreter exited with " + Exit
        : null;

    private string? LastStarted { get; set; }

    /// <summary>Runs the test assemblies of <paramref name="build"/>.</summary>
    public static NanoClrRun Run(DeviceBuild build)
    {
        var run = new NanoClrRun(build.Configuration);
        var testAssemblies = build.Assemblies.Where(a => a.Project is { IsTest: true }).ToList();
        foreach (var test in testAssemblies)
        {
            if (test.Compiled)
            {
                run.Tests.AddRange(TestsIn(test.Dll));
            }
            else
            {
                run.Tests.Add(test.Name + " (did not compile)");
                run._outcomes[test.Name + " (did not compile)"] = "did not compile: " + string.Join(" ", test.Problems.Take(3));
            }
        }

        var load = new List<string> { NanoTools.MscorlibPe };
        var blockers = new List<string>();
        foreach (var test in testAssemblies.Where(t => t.Compiled).Prepend(build.Find(DeviceBuild.RunnerName)!))
        {
            build.AddLoadOrder(test.Name, load, blockers);
        }

        if (blockers.Count > 0)
        {
            run.NotRun = string.Join("; ", blockers.Distinct());
            return run;
        }

        run.Execute(load, Path.Combine(build.Directory, "nanoclr.log"));
        return run;
    }

    /// <summary>
    /// Runs the .pe files <paramref name="load"/> (mscorlib first, the runner's list naming the test assemblies) and
    /// reads the results of <paramref name="tests"/>.
    /// </summary>
    public static NanoClrRun Run(string configuration, IEnumerable<string> tests, IReadOnlyList<string> load, string log)
    {
        var run = new NanoClrRun(configuration);
        run.Tests.AddRange(tests);
        run.Execute(load, log);
        return run;
    }

    /// <summary>Reads a run's output without running anything: what the host makes of what the interpreter printed.</summary>
    public static NanoClrRun FromOutput(IEnumerable<string> tests, int exit, string stdout)
    {
        var run = new NanoClrRun("(output)");
        run.Tests.AddRange(tests);
        run.Exit = exit;
        run.Log = stdout;
        run.Read(stdout);
        return run;
    }

    private void Execute(IReadOnlyList<string> load, string log)
    {
        // The ESP32 glue's storage tests need the internal drive I:\; each run starts with an empty one.
        string drive = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(log))!, "drive-i");
        if (Directory.Exists(drive))
        {
            Directory.Delete(drive, true);
        }

        Directory.CreateDirectory(drive);
        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = ToolProcess.Run(NanoTools.Nanoclr, load, Timeout, new Dictionary<string, string> { ["NANOCLR_DRIVE_I"] = drive });
        Elapsed = clock.Elapsed;
        Exit = exit;
        Log = stdout + stderr;
        File.WriteAllText(log, Log);
        Read(stdout);
    }

    private void Read(string stdout)
    {
        foreach (string raw in stdout.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string rest = line.Substring(Prefix.Length);
            int space = rest.IndexOf(' ');
            string verb = space < 0 ? rest : rest.Substring(0, space);
            string args = space < 0 ? "" : rest.Substring(space + 1);
            int nameEnd = args.IndexOf(' ');
            string name = nameEnd < 0 ? args : args.Substring(0, nameEnd);
            switch (verb)
            {
                case "start":
                    LastStarted = name;
                    break;
                case "passed":
                    _outcomes[name] = null;
                    LastStarted = null;
                    break;
                case "failed":
                    _outcomes[name] = nameEnd < 0 ? "failed" : args.Substring(nameEnd + 1);
                    LastStarted = null;
                    break;
                case "done":
                    Completed = true;
                    break;
            }
        }

        foreach (string name in _outcomes.Keys.Where(n => !Tests.Contains(n)).ToList())
        {
            Tests.Add(name);
        }
    }

    private string Tail() =>
        string.Join(" | ", Log.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(4));

    /// <summary>The tests of a compiled test assembly: public methods with [TestMethod] of classes with [TestClass].</summary>
    public static IEnumerable<string> TestsIn(string dll)
    {
        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var tests = new List<string>();
        foreach (var th in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(th);
            if (!Has(md, type.GetCustomAttributes(), "TestClassAttribute"))
            {
                continue;
            }

            string typeName = md.GetString(type.Namespace) + "." + md.GetString(type.Name);
            foreach (var mh in type.GetMethods())
            {
                var method = md.GetMethodDefinition(mh);
                if (Has(md, method.GetCustomAttributes(), "TestMethodAttribute"))
                {
                    tests.Add(typeName + "." + md.GetString(method.Name));
                }
            }
        }

        return tests;
    }

    private static bool Has(MetadataReader md, CustomAttributeHandleCollection attributes, string name) =>
        attributes.Select(h => md.GetCustomAttribute(h).Constructor)
            .Where(c => c.Kind == HandleKind.MemberReference)
            .Select(c => md.GetMemberReference((MemberReferenceHandle)c).Parent)
            .Where(p => p.Kind == HandleKind.TypeReference)
            .Select(p => md.GetTypeReference((TypeReferenceHandle)p))
            .Any(t => md.GetString(t.Name) == name && md.GetString(t.Namespace) == "nanoFramework.TestFramework");
}
