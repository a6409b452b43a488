using CotaFirmware.Host.Cli;

namespace CotaFirmware.HostTests.HostApp;

/// <summary>Virtual devices of the host board (the whole firmware each, on its own thread) against a local platform
/// over TLS, with their flash in one temporary folder.</summary>
internal sealed class VirtualFleet : IDisposable
{
    private readonly List<HostDevice> _devices = new();
    private readonly TempFolder _flash = new("cota-fleet");

    /// <summary>Starts one device per (name, secret).</summary>
    public VirtualFleet(string host, int tlsPort, string caPem, string productKey, IEnumerable<(string Name, string Secret)> devices, int jitterMs = 200)
    {
        int seed = 17;
        foreach (var (name, secret) in devices)
        {
            var device = new HostDevice(name, Path.Combine(_flash.Path, name), caPem,
                () => DeviceProfiles.Local(host, tlsPort, productKey, name, secret, jitterMs), new RecordingLog(), seed++);
            _devices.Add(device);
            device.Start();
        }
    }

    public IReadOnlyList<HostDevice> Devices => _devices;

    public int Online => _devices.Count(d => d.Firmware?.IsConnected == true);

    public void Dispose()
    {
        Parallel.ForEach(_devices, d => d.Dispose());
        try
        {
            _flash.Dispose();
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Waits until every device is connected.</summary>
    public async Task WaitOnlineAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Online < _devices.Count)
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException(Online + " of " + _devices.Count + " devices online after " + timeout.TotalSeconds + " s");
            }

            await Task.Delay(100);
        }
    }
}
