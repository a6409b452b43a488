using System.CommandLine;

namespace CotaFirmware.Host.Cli;

/// <summary>A command whose help ends with notes: what its output means and how it goes with the others.</summary>
public sealed class CommandWithNotes(string name, string description, string notes) : Command(name, description)
{
    /// <summary>The notes, printed after the generated help.</summary>
    public string Notes { get; } = notes;
}
