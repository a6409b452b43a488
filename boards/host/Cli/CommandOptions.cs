using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CotaFirmware.Host.Cli;

/// <summary>The options several commands share, folder options and arguments, and whole-number options checked
/// against their range while parsing.</summary>
internal static class CommandOptions
{
    /// <summary><c>--data &lt;dir&gt;</c>: a local platform's data folder, as a full path (a relative one is taken from the current directory).</summary>
    public static Option<string> Data(string description) => Folder("--data", description);

    /// <summary>An option naming a folder, as a full path (a relative one is taken from the current directory); a value
    /// that is no path (empty, a NUL character) or names a file (or a path inside one) is a parse error.</summary>
    public static Option<string> Folder(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "dir",
        CustomParser = FullPath(name),
    };

    /// <summary>An argument naming a folder, read as <see cref="Folder"/> reads an option's value.</summary>
    public static Argument<string> FolderArgument(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = FullPath("<" + name + ">"),
    };

    // The value as a full path; one that is no path, or a file, is a parse error naming the option or argument as help shows it.
    private static Func<ArgumentResult, string?> FullPath(string name) => result =>
    {
        string text = result.Tokens[0].Value;
        try
        {
            string full = Path.GetFullPath(text);
            // The nearest part of the path that exists must be a folder, or the folder can never be made.
            string? at = full;
            while (at != null && !Directory.Exists(at) && !File.Exists(at))
            {
                at = Path.GetDirectoryName(at);
            }

            if (at == null || Directory.Exists(at))
            {
                return full;
            }

            result.AddError(name + " must name a folder, not " + (at == full ? "the file '" + text + "'" : "a path inside the file '" + at + "'"));
        }
        catch (Exception e) when (e is ArgumentException || e is PathTooLongException || e is NotSupportedException)
        {
            result.AddError(name + " must name a folder, not '" + text + "'");
        }

        return null;
    };

    /// <summary>A switch.</summary>
    public static Option<bool> Switch(string name, string description) => new(name) { Description = description };

    /// <summary>An option taking one text value.</summary>
    public static Option<string> Text(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName };

    /// <summary>An option taking a whole number in [<paramref name="min"/>, <paramref name="max"/>]; its value is null when it is absent.</summary>
    public static Option<int?> WholeNumber(string name, string helpName, int min, int max, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max)
            {
                return n;
            }

            result.AddError(name + " must be a whole number from " + min + " to " + max + ", not '" + text + "'");
            return null;
        },
    };
}
