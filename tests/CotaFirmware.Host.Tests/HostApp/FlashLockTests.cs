using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CotaFirmware.Host.Board;

namespace CotaFirmware.HostTests.HostApp;

/// <summary>One writer per flash folder: a second `cota-host device` on a running device's flash exits, naming the first one's process.</summary>
[TestClass]
[DoNotParallelize]
public sealed class FlashLockTests
{
    [TestMethod]
    public async Task ASecondProcessOnTheSameFlashExitsNamingTheFirstAndADeadOnesLockIsGone()
    {
        using var flashFolder = new TempFolder("cota-flash-lock");
        string flash = flashFolder.Path;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        string port = ((IPEndPoint)probe.LocalEndpoint).Port.ToString();
        probe.Stop();
        string[] device = { "device", "--host", "127.0.0.1", "--port", port, "--plain", "--flash", flash, "--seconds", "300" };
        Process? first = null;
        try
        {
            first = CommandLineTests.Start(Path.GetTempPath(), device);
            string owner = "";
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (owner != first.Id.ToString())
            {
                Assert.IsFalse(first.HasExited, "the first device exited with " + (first.HasExited ? first.ExitCode : 0));
                Assert.IsTrue(DateTime.UtcNow < until, "the first device never took its flash");
                await Task.Delay(100);
                owner = OwnerIn(flash);
            }

            string folder = Path.GetDirectoryName(Directory.GetFiles(flash, ".owner", SearchOption.AllDirectories)[0])!;
            string[] files = Directory.GetFiles(folder);
            var (code, output, error) = CommandLineTests.Run(device);
            Assert.AreEqual(1, code, output + error);
            StringAssert.Contains(error, "cota-host: the flash folder " + folder + " is in use by process " + first.Id);
            Assert.IsFalse(first.HasExited, "the first device runs on");
            CollectionAssert.AreEquivalent(files, Directory.GetFiles(folder), "the second process wrote nothing there");

            // The operating system drops the lock of a process that dies: a killed device leaves its flash free.
            first.Kill();
            await first.WaitForExitAsync();
            using (FlashLock.Acquire(folder))
            {
                Assert.AreEqual(Environment.ProcessId.ToString(), OwnerIn(flash));
            }
        }
        finally
        {
            if (first is { HasExited: false })
            {
                first.Kill();
                await first.WaitForExitAsync();
            }

            first?.Dispose();
        }
    }

    private static string OwnerIn(string flash)
    {
        try
        {
            string[] owners = Directory.Exists(flash) ? Directory.GetFiles(flash, ".owner", SearchOption.AllDirectories) : Array.Empty<string>();
            return owners.Length == 1 ? File.ReadAllText(owners[0]) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
