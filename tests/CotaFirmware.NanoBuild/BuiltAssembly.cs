namespace CotaFirmware.NanoBuild;

/// <summary>One device assembly as the device build left it in one configuration: compiled, checked by the gate, converted.</summary>
public sealed class BuiltAssembly
{
    public BuiltAssembly(string name, NfProject? project, bool exe, string directory)
    {
        Name = name;
        Project = project;
        Dll = Path.Combine(directory, name + (exe ? ".exe" : ".dll"));
        Pe = Path.Combine(directory, name + ".pe");
    }

    /// <summary>The assembly's name.</summary>
    public string Name { get; }

    /// <summary>The project it is built from; null for the test runner, which has none.</summary>
    public NfProject? Project { get; }

    /// <summary>The compiled assembly.</summary>
    public string Dll { get; }

    /// <summary>The converted assembly.</summary>
    public string Pe { get; }

    /// <summary>Compile errors, gate findings, reference problems and conversion errors: each one fails the build.</summary>
    public List<string> Problems { get; } = new();

    /// <summary>What the report should say without failing the build (a library older than its pin).</summary>
    public List<string> Notes { get; } = new();

    /// <summary>True once <see cref="Dll"/> compiled.</summary>
    public bool Compiled { get; set; }

    /// <summary>Each table's size (<see cref="PeTables.Names"/> order) once converted; null until then.</summary>
    public int[]? Tables { get; set; }

    /// <summary>The .pe's size in bytes once converted.</summary>
    public long PeSize { get; set; }

    /// <summary>True when it compiled, passed the gate and converted.</summary>
    public bool Ok => Problems.Count == 0 && Tables != null;
}
