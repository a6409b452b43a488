using System.Runtime.InteropServices;
using CotaFirmware.Host.Board;
using CotaFirmware.Host.Cli;

namespace CotaFirmware.Host;

/// <summary>The host board's command line: the demo, the local IoT platform, virtual devices, publish and status.</summary>
public static class Program
{
    /// <summary>Usage of the whole program.</summary>
    public const string Usage = """
        cota-host: the CotaFirmware firmware on this PC, with a local IoT platform.

        usage: cota-host [command] [options]

          (no command)   the demo: platform + one virtual device, three configs (live, reboot, offline/get); exit 0 when every step held
          cloud          run the local IoT platform and its web console until Ctrl+C; print the addresses and credentials
          device         run virtual devices against the local platform, mosquitto or Alibaba Cloud IoT Platform
          publish <file> publish a config to the local platform and push it; --wait for every device's verdict
          status         list the local platform's devices with their configs and last results (with errors)
          flash <dir>    show what a virtual device holds in flash (slots, trial), without starting it

        Every command takes --help. Exit codes: 0 success, 1 a step failed, 2 a bad command line.
        """;

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

    /// <summary>Runs the program with the given output and error writers; <paramref name="stop"/> ends long-running commands.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken stop)
    {
        string command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "";
        string[] rest = command.Length > 0 ? args[1..] : args;
        try
        {
            switch (command)
            {
                case "":
                    if (rest.Contains("--help") || rest.Contains("-h"))
                    {
                        output.WriteLine(Usage);
                        output.WriteLine(DemoCommand.Help);
                        return 0;
                    }

                    return DemoCommand.Run(rest, output, stop);
                case "cloud":
                    return CloudCommand.Run(rest, output, stop);
                case "device":
                    return DeviceCommand.Run(rest, output, stop);
                case "publish":
                    return PublishCommand.Run(rest, output);
                case "status":
                    return StatusCommand.Run(rest, output);
                case "flash":
                    return FlashCommand.Run(rest, output);
                case "help":
                case "-h":
                    output.WriteLine(Usage);
                    return 0;
                default:
                    throw new UsageException("unknown command '" + command + "' (commands: cloud, device, publish, status, flash; see cota-host --help)");
            }
        }
        catch (UsageException e)
        {
            error.WriteLine("cota-host: " + e.Message);
            return 2;
        }
        catch (FlashInUseException e)
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
}
