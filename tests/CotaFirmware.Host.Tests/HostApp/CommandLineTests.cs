using System.Diagnostics;
using CotaFirmware.Host;

namespace CotaFirmware.HostTests.HostApp;

/// <summary>The host CLI as a user runs it: Program.Run with arguments, its exit code and what it printed.</summary>
[TestClass]
public sealed class CommandLineTests
{
    internal static (int Code, string Out, string Err) Run(params string[] args) => Run(CancellationToken.None, args);

    internal static (int Code, string Out, string Err) Run(CancellationToken stop, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var syncOut = TextWriter.Synchronized(output);
        var syncErr = TextWriter.Synchronized(error);
        int code = Program.Run(args, syncOut, syncErr, stop);
        syncOut.Flush();
        return (code, output.ToString(), error.ToString());
    }

    // `cota-host <args>` as a process of its own, run from workingDirectory, as a user starts it; its output is drained.
    internal static Process Start(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cota-host.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [TestMethod]
    public void TheDemoExitsZeroAndPrintsEveryStep()
    {
        var (code, output, error) = Run();

        Assert.AreEqual(0, code, output + error);
        foreach (var step in new[]
        {
            "step 1: start the local IoT platform",
            "step 2: boot the firmware on the host board",
            "step 3: publish config 1",
            "step 4: publish config 2",
            "step 5: take the device offline and publish config 3",
            "step 6: bring the device back",
            "download [####################] 100%",
            "downloaded, verified and sealed in the store",
            "module telemetry (live): section applied",
            "module statusLed (restart): started",
            "config needs a reboot",
            "the device rebooted once",
            "platform received push_reply",
            "push acknowledged with code 200",
            "pushed to 0 online devices",
            "platform received thing.config.get",
            "confirmed: it is the last good config",
            "\"status\":\"applied\"",
            "demo passed",
        })
        {
            StringAssert.Contains(output, step);
        }

        Assert.AreEqual(3, CountOf(output, "ok: the platform recorded result 'applied'"));
        Assert.IsFalse(output.Contains("DeviceSecret", StringComparison.OrdinalIgnoreCase), "the demo prints no secret");
    }

    [TestMethod]
    public void TheDemoFailsLoudlyWhenAStepDoesNotHold()
    {
        var (code, output, _) = Run("--inject-fault");

        Assert.AreEqual(1, code, output);
        StringAssert.Contains(output, "download failed: HttpError");
        StringAssert.Contains(output, "\"status\":\"failed\",\"reason\":\"HttpError\"");
        StringAssert.Contains(output, "DEMO FAILED: the device reported 'failed' for config");
        StringAssert.Contains(output, "\"httpStatus\":403");
        Assert.IsFalse(output.Contains("demo passed"));
    }

    [TestMethod]
    public void EveryCommandHasHelp()
    {
        foreach (var (command, words) in new[]
        {
            (new[] { "--help" }, " [command] [options]"),
            (new[] { "cloud", "--help" }, " cloud [options]"),
            (new[] { "device", "--help" }, "--exit-when-converged"),
            (new[] { "publish", "--help" }, " publish <file> [options]"),
            (new[] { "status", "--help" }, "Columns: online"),
            (new[] { "flash", "--help" }, " flash <dir> [options]"),
            (new[] { "help" }, "Exit codes: 0 success"),
            (new[] { "help", "publish" }, "--halt-percent <p>"),
            (new[] { "publish", "--help" }, "--broker <host:port>"),
        })
        {
            var (code, output, _) = Run(command);
            Assert.AreEqual(0, code, string.Join(" ", command));
            StringAssert.Contains(output, words);
        }
    }

    [TestMethod]
    public void BadCommandLinesGiveAClearErrorAndExitTwo()
    {
        foreach (var (args, message) in new[]
        {
            (new[] { "frobnicate" }, "unknown command 'frobnicate'"),
            (new[] { "device", "--bogus" }, "unknown option --bogus for 'device'"),
            (new[] { "cloud", "--devices" }, "Required argument missing for option: '--devices'"),
            (new[] { "status", "--data", "a", "--data", "b" }, "Option '--data' expects a single argument"),
            (new[] { "cloud", "--devices", "many" }, "--devices must be a whole number"),
            (new[] { "publish" }, "Required argument missing for command: 'publish'"),
            (new[] { "publish", "x.json" }, "publish needs --data"),
            (new[] { "status" }, "Option '--data' is required"),
            (new[] { "flash" }, "Required argument missing for command: 'flash'"),
            (new[] { "flash", "/nonexistent-cota-flash" }, "no such flash folder"),
            (new[] { "publish", "x.json", "--data", "d", "--timeout", "5" }, "--timeout goes with --wait"),
            (new[] { "device" }, "say where to connect"),
            (new[] { "device", "--product-key", "a1b2c3", "--device-name", "d1", "--device-secret", "s", "--region", "mars-1" }, "Argument 'mars-1' not recognized. Must be one of:"),
            (new[] { "--inject-fault", "extra" }, "unknown command 'extra'"),
            (new[] { "--inject-fault", "--bogus" }, "unknown option --bogus for 'the demo'"),
            (new[] { "status", "--data", "d", "extra" }, "status takes no value 'extra'"),
            (new[] { "status", "--data", "" }, "--data must name a folder, not ''"),
            (new[] { "cloud", "--data", "a\0b" }, "--data must name a folder"),
            (new[] { "device", "--data", "d", "--flash", "" }, "--flash must name a folder, not ''"),
            (new[] { "flash", "" }, "<dir> must name a folder, not ''"),
            (new[] { "help", "nosuch" }, "unknown command 'nosuch' (commands: cloud, device"),
            (new[] { "device", "--data", "d", "--host", "h", "--port", "1883" }, "choose one place to connect: --data or --host, not both"),
            (new[] { "device", "--host", "h", "--port", "1883", "--region", "cn-shanghai" }, "--region goes with Alibaba Cloud, not with --host"),
            (new[] { "device", "--data", "d", "--port", "1883" }, "--port goes with --host"),
            (new[] { "device", "--data", "d", "--plain" }, "--plain goes with --host"),
            (new[] { "device", "--product-key", "a1b2c3", "--device-name", "d1", "--device-secret", "s", "--port", "8883", "--plain" }, "--port and --plain go with --host"),
            (new[] { "device", "--product-key", "bad key", "--device-name", "d1", "--device-secret", "s" }, "--product-key 'bad key' is no product key"),
            (new[] { "device", "--host", "h", "--port", "1883", "--seconds", "0" }, "--seconds must be a whole number from 1"),
            (new[] { "device", "--product-key", "a1b2c3", "--device-name", "d1", "--device-secret", "s", "--http-domain", "h.example" },
                "--http-domain goes with --mqtt-domain"),
            (new[] { "device", "--data", "d", "--devices", "2", "--device-name", "q/#" }, "--device-name 'q/#' cannot start device names: q/#1..q/#2 must be"),
            (new[] { "device", "--data", "d", "--device-name", "a b" }, "--device-name 'a b' is no device name"),
        })
        {
            var (code, output, error) = Run(args);
            Assert.AreEqual(2, code, string.Join(" ", args) + ": " + output + error);
            StringAssert.Contains(error, message, string.Join(" ", args));
            StringAssert.StartsWith(error, "cota-host: ");
        }
    }

    [TestMethod]
    public void AFolderOptionNamingAFileIsABadCommandLine()
    {
        using var folder = new TempFolder("cota-file-not-folder");
        string file = folder.Write("notes.txt", "not a folder");
        foreach (var (args, message) in new[]
        {
            (new[] { "cloud", "--data", file }, "--data must name a folder, not the file '" + file + "'"),
            (new[] { "device", "--host", "127.0.0.1", "--port", "1", "--flash", file, "--seconds", "1" }, "--flash must name a folder, not the file '" + file + "'"),
            (new[] { "--keep", file }, "--keep must name a folder, not the file '" + file + "'"),
            (new[] { "--keep", "" }, "--keep must name a folder, not ''"),
            (new[] { "cloud", "--data", Path.Combine(file, "sub") }, "--data must name a folder, not a path inside the file '" + file + "'"),
            (new[] { "flash", Path.Combine(file, "sub") }, "<dir> must name a folder, not a path inside the file '" + file + "'"),
        })
        {
            var (code, output, error) = Run(args);
            Assert.AreEqual(2, code, string.Join(" ", args) + ": " + output + error);
            StringAssert.StartsWith(error, "cota-host: " + message, string.Join(" ", args));
        }
    }

    [TestMethod]
    public void ACaFileThatHoldsNoCertificateIsABadCommandLine()
    {
        using var folder = new TempFolder("cota-bad-ca");
        string ca = folder.Write("ca.pem", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        var (code, output, error) = Run("device", "--host", "127.0.0.1", "--port", "1", "--ca", ca, "--seconds", "1");

        Assert.AreEqual(2, code, output + error);
        Assert.AreEqual("cota-host: --ca " + ca + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)" + Environment.NewLine, error);
        Assert.AreEqual("", output, "nothing was started");
    }

    [TestMethod]
    public void OptionValuesComplete()
    {
        // What a shell's completion (dotnet-suggest) asks for: `cota-host [suggest:N] "<command line>"`.
        var (code, output, _) = Run("[suggest:17]", "device --region c");

        Assert.AreEqual(0, code);
        CollectionAssert.AreEqual(new[] { "cn-shanghai", "eu-central-1" }, output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var commands = Program.Commands().Parse("").GetCompletions().Select(c => c.Label).ToArray();
        CollectionAssert.IsSubsetOf(new[] { "cloud", "device", "publish", "status", "flash", "--keep" }, commands);
    }

    [TestMethod]
    public void PublishingToAStoppedPlatformIsAFailedRun()
    {
        using var folder = new TempFolder("cota-stopped");
        string config = folder.Write("config.json", "{\"telemetry\":{\"intervalSeconds\":15}}");
        // A platform that ran there and stopped.
        new CotaFirmware.Host.Cloud.PlatformEndpoints { ConsolePort = 1 }.Save(folder.Path);

        var (code, _, error) = Run("publish", config, "--data", folder.Path);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "the local platform of '" + folder.Path + "' is not running: start one with `cota-host cloud --data");
    }

    [TestMethod]
    public void DamagedDataFilesAreNamedWithWhatToDo()
    {
        using var folder = new TempFolder("cota-damaged");
        string registry = folder.Write("registry.json", "{\"UrlKeyId\": \"STS.NTx\", \"Products\": [");
        var (code, _, error) = Run("status", "--data", folder.Path);
        Assert.AreEqual(1, code, error);
        StringAssert.StartsWith(error, "cota-host: " + registry + " is damaged (not the registry's JSON, at line 1): restore it from a copy, or delete it");

        File.Delete(registry);
        folder.Write("ca.pem", "garbage");
        folder.Write("ca.key.pem", "garbage");
        (code, _, error) = Run("cloud", "--data", folder.Path);
        Assert.AreEqual(1, code, error);
        StringAssert.StartsWith(error, "cota-host: " + Path.Combine(folder.Path, "ca.pem") + " or " + Path.Combine(folder.Path, "ca.key.pem")
            + " is damaged (not a PEM certificate and its key): delete both to make a new CA");

        // Each of its commands names a damaged platform.json the same way, in our words.
        string platform = folder.Write("platform.json", "{\n  \"MqttPort\": 1883,\n  not json");
        foreach (var args in new[] { new[] { "status", "--data", folder.Path }, new[] { "cloud", "--data", folder.Path } })
        {
            (code, _, error) = Run(args);
            Assert.AreEqual(1, code, error);
            Assert.AreEqual("cota-host: " + platform + " is damaged (not the platform's JSON, at line 3): delete it to take new ports"
                + Environment.NewLine, error, string.Join(" ", args));
        }
    }

    [TestMethod]
    public void ARefusedBoardJsonStopsTheDemoAndTheCloudBeforeAnythingStarts()
    {
        // The program as installed, with a board.json that does not parse beside it.
        using var program = new TempFolder("cota-program");
        Directory.CreateDirectory(program.Path);
        foreach (string file in Directory.GetFiles(AppContext.BaseDirectory))
        {
            File.Copy(file, Path.Combine(program.Path, Path.GetFileName(file)));
        }

        string board = program.Write("board.json", "{\"board\": ");
        using var work = new TempFolder("cota-work");
        Directory.CreateDirectory(work.Path);
        string data = Path.Combine(work.Path, "cloud-data");
        foreach (var args in new[] { Array.Empty<string>(), new[] { "cloud", "--data", data } })
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work.Path, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(program.Path, "cota-host.dll"));
            args.ToList().ForEach(start.ArgumentList.Add);
            using var run = Process.Start(start)!;
            var output = run.StandardOutput.ReadToEndAsync();
            string error = run.StandardError.ReadToEnd();
            run.WaitForExit();

            string what = "cota-host " + string.Join(" ", args) + ": " + output.Result + error;
            Assert.AreEqual(2, run.ExitCode, what);
            Assert.AreEqual("cota-host: " + board + " refused: malformed JSON at byte 10" + Environment.NewLine, error, what);
            Assert.IsFalse(output.Result.Contains("step 2"), what);
        }

        Assert.IsFalse(Directory.Exists(data), "nothing was made in the data folder");
    }

    [TestMethod]
    public async Task APortTakenStopsTheDemoAndTheCloudWithOneErrorLine()
    {
        using var keep = new TempFolder("cota-keep");
        string data = Path.Combine(keep.Path, "cloud");
        await using var running = await CotaFirmware.Host.Cloud.LocalPlatform.StartAsync(new CotaFirmware.Host.Cloud.PlatformSettings { DataFolder = data });
        foreach (var args in new[] { new[] { "--keep", keep.Path }, new[] { "cloud", "--data", data } })
        {
            var (code, output, error) = Run(args);

            Assert.AreEqual(1, code, output + error);
            StringAssert.StartsWith(error, "cota-host: port ", string.Join(" ", args));
            StringAssert.Contains(error, "is taken by another program. Stop that program, or delete " + Path.Combine(data, "platform.json"));
            Assert.AreEqual(1, error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, error);
        }
    }

    [TestMethod]
    public void StatusOfAFolderWithoutAPlatformNamesTheFix()
    {
        using var folder = new TempFolder("cota-none");
        var (code, _, error) = Run("status", "--data", folder.Path);

        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "cota-host cloud --data " + folder.Path);
    }

    [TestMethod]
    public void FlashShowsWhatTheDemosDeviceKeptWithoutWritingAByte()
    {
        using var kept = new TempFolder("cota-keep");
        string keep = kept.Path;
        var (demoCode, demo, _) = Run("--keep", keep);
        Assert.AreEqual(0, demoCode, demo);
        var ids = demo.Split('\n').Where(l => l.Contains("ok: published as ") || l.Contains("ok: config 3 published as "))
            .Select(l => l.Split(" as ")[1].Split(' ')[0]).ToArray();
        Assert.AreEqual(3, ids.Length, demo);

        string flash = Path.Combine(keep, "flash-demo-1");
        var before = Directory.GetFiles(flash).ToDictionary(f => f, File.ReadAllBytes);
        var (code, output, error) = Run("flash", flash);

        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "active: config " + ids[2]);
        StringAssert.Contains(output, "config " + ids[1] + ", ");
        StringAssert.Contains(output, "content matches");
        StringAssert.Contains(output, "trial     none");
        foreach (var (file, bytes) in before)
        {
            CollectionAssert.AreEqual(bytes, File.ReadAllBytes(file), file + " was changed");
        }

        Assert.AreEqual(before.Count, Directory.GetFiles(flash).Length);

        // A slot of a newer format (version byte 4 raised) is named, not taken for a config.
        string slotB = Path.Combine(flash, "cfg-b.bin");
        var header = File.ReadAllBytes(slotB);
        header[4] = 2;
        File.WriteAllBytes(slotB, header);
        var (newerCode, newer, _) = Run("flash", flash);
        Assert.AreEqual(0, newerCode);
        StringAssert.Contains(newer, "newer     a slot or the trial state was written by a newer firmware");
        CollectionAssert.AreEqual(header, File.ReadAllBytes(slotB));
    }

    private static int CountOf(string text, string part)
    {
        int n = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
