namespace CotaFirmware.Host.Cli;

/// <summary>A command's arguments: <c>--name value</c> options, <c>--flag</c> switches and positional values, checked against what the command accepts.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positional = new();

    /// <summary>Parses <paramref name="args"/>; <paramref name="valued"/> lists options that take a value, <paramref name="flags"/> the switches.</summary>
    /// <exception cref="UsageException">An unknown option, a missing value, or a repeated option.</exception>
    public Arguments(string command, IEnumerable<string> args, string[] valued, string[] flags)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            string a = list[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                _positional.Add(a);
                continue;
            }

            string name = a[2..];
            string? inline = null;
            int eq = name.IndexOf('=');
            if (eq >= 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }

            if (flags.Contains(name) && inline == null)
            {
                _flags.Add(name);
            }
            else if (valued.Contains(name))
            {
                string? value = inline;
                if (value == null)
                {
                    if (i + 1 >= list.Count || list[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new UsageException("option --" + name + " needs a value (see: cota-host " + command + " --help)");
                    }

                    value = list[++i];
                }

                if (!_values.TryAdd(name, value))
                {
                    throw new UsageException("option --" + name + " is given twice");
                }
            }
            else
            {
                throw new UsageException("unknown option --" + name + " for '" + command + "' (see: cota-host " + command + " --help)");
            }
        }
    }

    /// <summary>The values that are not options.</summary>
    public IReadOnlyList<string> Positional => _positional;

    /// <summary>True when the switch was given.</summary>
    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>The option's value, or null.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary>The option's value as a full path (a relative one is taken from the current directory), or null.</summary>
    public string? Folder(string name) => Value(name) is { } v ? Path.GetFullPath(v) : null;

    /// <summary>The option's value as an integer in [min, max], or <paramref name="fallback"/> when it is absent.</summary>
    /// <exception cref="UsageException">The value is not such an integer.</exception>
    public int Int(string name, int fallback, int min, int max)
    {
        string? v = Value(name);
        if (v == null)
        {
            return fallback;
        }

        if (!int.TryParse(v, out int n) || n < min || n > max)
        {
            throw new UsageException("--" + name + " must be a whole number from " + min + " to " + max + ", not '" + v + "'");
        }

        return n;
    }
}
