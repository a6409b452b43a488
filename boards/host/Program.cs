using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using CotaFirmware.Host.Board;
using CotaFirmware.Host.Cloud;
using CotaFirmware.Host.Cli;

namespace CotaFirmware.Host;

/// <summary>The host board's command line: the demo, the local IoT platform, virtual devices, publish and status.</summary>
public static class Program
{
    /// <summary>Runs the program on the console; Ctrl+C stops long-running commands.</summary>
    public static int Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        // `kill` (SIGTERM) stops as cleanly as Ctrl+C: the platform marks platform.json stopped, devices disconnect.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        return Run(args, Console.Out, Console.Error, stop.Token);
    }

    /// <summary>The whole command line: the demo's options, the commands and their options, with generated help and completions.</summary>
    public static RootCommand Commands()
    {
        var root = DemoCommand.Definition();
        root.Subcommands.Add(CloudCommand.Definition());
        root.Subcommands.Add(DeviceCommand.Definition());
        root.Subcommands.Add(PublishCommand.Definition());
        root.Subcommands.Add(StatusCommand.Definition());
        root.Subcommands.Add(FlashCommand.Definition());

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithNotes((SynchronousCommandLineAction)help.Action!);
        return root;
    }

    /// <summary>Runs the program with the given output and error writers; <paramref name="stop"/> ends long-running commands.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken stop)
    {
        var commands = Commands();
        // `cota-host help [command]` is `cota-host [command] --help`; help on a command there is not is no help.
        if (args is ["help", .. var rest])
        {
            if (rest is [var named, ..] && !named.StartsWith('-') && !commands.Subcommands.Any(c => c.Name == named))
            {
                error.WriteLine("cota-host: " + UnknownCommand(commands, named) + " (see: cota-host --help)");
                return 2;
            }

            args = [.. rest, "--help"];
        }

        var parsed = commands.Parse(args);
        string? problem = parsed.Action is ParseErrorAction ? Problem(parsed) : null;
        if (problem != null)
        {
            string command = parsed.CommandResult.Command is RootCommand ? "" : " " + parsed.CommandResult.Command.Name;
            error.WriteLine("cota-host: " + problem + " (see: cota-host" + command + " --help)");
            return 2;
        }

        try
        {
            var invocation = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                // Main already turns Ctrl+C and SIGTERM into `stop`.
                ProcessTerminationTimeout = null,
            };
            return parsed.InvokeAsync(invocation, stop).GetAwaiter().GetResult();
        }
        catch (UsageException e)
        {
            error.WriteLine("cota-host: " + e.Message);
            return 2;
        }
        catch (Exception e) when (e is RunFailedException || e is FlashInUseException || e is DamagedDataException || e is PortTakenException)
        {
            error.WriteLine("cota-host: " + e.Message);
            return 1;
        }
        catch (Exception e)
        {
            error.WriteLine("cota-host: failed: " + e.GetType().Name + ": " + e.Message);
            return 1;
        }
    }

    // The first thing wrong with the command line in our words, or null. A word the parser could not place is an
    // unknown command (at the top), an unknown option, or a value the command does not take.
    private static string? Problem(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        if (parsed.UnmatchedTokens.FirstOrDefault() is { } word)
        {
            return word.StartsWith('-') ? "unknown option " + word + " for '" + (command is RootCommand ? "the demo" : command.Name) + "'"
                : command is RootCommand ? UnknownCommand(command, word)
                : command.Name + " takes no value '" + word + "'";
        }

        return parsed.Errors.FirstOrDefault()?.Message;
    }

    private static string UnknownCommand(Command root, string word) =>
        "unknown command '" + word + "' (commands: " + string.Join(", ", root.Subcommands.Select(c => c.Name)) + ")";

    // The generated help, then the command's notes.
    private sealed class HelpWithNotes(SynchronousCommandLineAction generated) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int code = generated.Invoke(parseResult);
            if (parseResult.CommandResult.Command is CommandWithNotes command)
            {
                parseResult.InvocationConfiguration.Output.WriteLine(command.Notes);
            }

            return code;
        }
    }
}
