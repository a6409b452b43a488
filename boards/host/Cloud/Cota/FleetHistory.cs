using CotaFirmware.Host.Cloud.Registry;

namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>What happened to each config on each device over time (offers, downloads, results), for the console's
/// device list and rollout charts, with a version number that moves on every change anyone may want to show.</summary>
/// <remarks>Kept in memory (the newest <see cref="Capacity"/> events); results also live in the registry, and a
/// restarted platform seeds its history from them.</remarks>
public sealed class FleetHistory
{
    /// <summary>How many events are kept.</summary>
    public const int Capacity = 200_000;

    private readonly object _gate = new();
    private readonly List<FleetEvent> _events = new();
    private readonly Dictionary<string, FleetEvent> _downloads = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    /// <summary>A history that holds the results <paramref name="registry"/> kept (a restarted platform's past).</summary>
    public static FleetHistory SeededFrom(DeviceRegistry registry)
    {
        var history = new FleetHistory();
        foreach (var device in registry.Devices)
        {
            foreach (var message in registry.CotaState(device.ProductKey, device.DeviceName).Results)
            {
                if (ResultReport.From(message) is { } report)
                {
                    history.Add(new FleetEvent(message.Time, device.ProductKey, device.DeviceName, report.ConfigId,
                        report.Stage, 0, registry.FindConfig(report.ConfigId)?.Size ?? 0));
                }
            }
        }
        return history;
    }

    /// <summary>Moves on every change (events, devices coming and going, publications).</summary>
    public long Version { get { lock (_gate) { return _version; } } }

    /// <summary>Records a step; a download step replaces the device's previous one in <see cref="Download"/>.</summary>
    public void Add(FleetEvent e)
    {
        lock (_gate)
        {
            if (_events.Count >= Capacity)
            {
                _events.RemoveRange(0, Capacity / 10);
            }
            var key = e.ProductKey + "/" + e.DeviceName;
            if (e.Stage == RolloutStage.Downloading && _downloads.TryGetValue(key, out var last)
                && last.ConfigId == e.ConfigId && last.Stage == RolloutStage.Downloading)
            {
                // Progress within one download is kept as the latest figure only.
                _downloads[key] = e;
            }
            else
            {
                _events.Add(e);
                if (e.Stage is RolloutStage.Downloading or RolloutStage.Trial)
                {
                    _downloads[key] = e;
                }
                else if (e.Stage != RolloutStage.Offered)
                {
                    _downloads.Remove(key);
                }
            }
        }
        Touch();
    }

    /// <summary>Says that something shown changed without a step (a device connected, a config was published).</summary>
    public void Touch()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            _version++;
            done = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    /// <summary>Completes when <see cref="Version"/> moves past <paramref name="seen"/>, or after <paramref name="timeout"/>.</summary>
    public async Task WaitForChangeAsync(long seen, TimeSpan timeout, CancellationToken cancel)
    {
        Task changed;
        lock (_gate)
        {
            if (_version != seen)
            {
                return;
            }
            changed = _changed.Task;
        }
        await Task.WhenAny(changed, Task.Delay(timeout, cancel));
    }

    /// <summary>The device's download in progress (or just finished and not yet reported), or null.</summary>
    public FleetEvent? Download(string productKey, string deviceName)
    {
        lock (_gate)
        {
            return _downloads.TryGetValue(productKey + "/" + deviceName, out var e) ? e : null;
        }
    }

    /// <summary>Every step with <paramref name="configId"/>, oldest first.</summary>
    public IReadOnlyList<FleetEvent> EventsOf(string configId)
    {
        lock (_gate)
        {
            return _events.Where(e => e.ConfigId == configId).ToArray();
        }
    }
}
