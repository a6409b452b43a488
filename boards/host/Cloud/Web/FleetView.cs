using CotaFirmware.Host.Cloud.Broker;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Registry;

namespace CotaFirmware.Host.Cloud.Web;

/// <summary>What the console shows, built from the registry, the history and who is online: devices, configs and
/// rollouts. No secret is part of it.</summary>
public static class FleetView
{
    /// <summary>Rollouts kept per product in a snapshot (the newest).</summary>
    public const int RolloutsPerProduct = 6;

    /// <summary>The whole picture now.</summary>
    public static FleetSnapshot Snapshot(DeviceRegistry registry, FleetHistory history,
        IReadOnlyCollection<ConnectedDevice>? online, PlatformView platform)
    {
        var onlineKeys = online?.Select(d => d.ProductKey + "/" + d.DeviceName).ToHashSet(StringComparer.Ordinal);
        var configs = registry.Configs;
        var devices = registry.Devices.Select(d => Device(registry, history, d, onlineKeys?.Contains(d.ProductKey + "/" + d.DeviceName)))
            .ToArray();
        var products = registry.Products.Select(p => new ProductView(p.ProductKey, registry.CurrentConfig(p.ProductKey)?.ConfigId,
            devices.Count(d => d.ProductKey == p.ProductKey))).ToArray();
        var configViews = configs.Select(c => new ConfigView(c.ConfigId, c.ProductKey, c.Size, c.Sign, c.PublishedAt,
            c.OfferedAt, registry.CurrentConfig(c.ProductKey)?.ConfigId == c.ConfigId, c.Rejection,
            devices.Where(d => d.ActiveConfigId == c.ConfigId).Select(d => d.DeviceName).ToArray(), c.HaltsAt)).Reverse().ToArray();
        var rollouts = registry.Products.SelectMany(p => configs.Where(c => c.ProductKey == p.ProductKey)
                .OrderByDescending(c => c.OfferedAt).Take(RolloutsPerProduct))
            .Select(c => Rollout(registry, history, c)).ToArray();
        return new FleetSnapshot(platform, history.Version, products, devices, configViews, rollouts);
    }

    /// <summary>One config's rollout across its product's devices.</summary>
    public static RolloutView Rollout(DeviceRegistry registry, FleetHistory history, ConfigFile config)
    {
        var names = registry.Devices.Where(d => d.ProductKey == config.ProductKey).Select(d => d.DeviceName).ToList();
        var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var since = config.OfferedAt;
        var transitions = new List<long[]>();
        var stages = new RolloutStage?[names.Count];
        foreach (var e in history.EventsOf(config.ConfigId))
        {
            if (e.Time < since.AddSeconds(-1) || !index.TryGetValue(e.DeviceName, out var i) || !Moves(stages[i], e.Stage))
            {
                continue;
            }
            stages[i] = e.Stage;
            transitions.Add(new[] { (long)(e.Time - since).TotalMilliseconds, i, (long)e.Stage });
        }
        var devices = names.Select((n, i) =>
        {
            var download = history.Download(config.ProductKey, n);
            var result = registry.Verdict(n, config);
            var stage = result != null ? result.Stage : stages[i];
            long served = download?.ConfigId == config.ConfigId ? download.Received : stage is RolloutStage.Applied ? config.Size : 0;
            return new RolloutDeviceView(n, stage, served, config.Size, result?.Errors.Concat(result.Details).ToArray() ?? Array.Empty<string>());
        }).ToArray();
        return new RolloutView(config.ConfigId, config.ProductKey, config.Size, since, config.Rejection, devices, transitions,
            config.HaltsAt);
    }

    // A device's stage with a config is its latest state, not its latest message: an offer again (a reconnect's get)
    // moves nothing on, a download moves on only from an offer or a failed one, and a result always counts.
    private static bool Moves(RolloutStage? from, RolloutStage to) => from is not { } now ? true : now != to && to switch
    {
        RolloutStage.Offered => false,
        RolloutStage.Downloading or RolloutStage.Trial => now is RolloutStage.Offered or RolloutStage.Downloading
            or RolloutStage.Trial or RolloutStage.Rejected,
        _ => true,
    };

    private static DeviceView Device(DeviceRegistry registry, FleetHistory history, Device d, bool? online)
    {
        var state = registry.CotaState(d.ProductKey, d.DeviceName);
        ResultReport? last = null;
        ResultReport? refusal = null;
        string? active = null;
        foreach (var m in state.Results)
        {
            var report = ResultReport.From(m);
            if (report == null)
            {
                continue;
            }
            last = report;
            if (report.Status == ResultReport.Applied)
            {
                active = report.ConfigId;
            }
            else
            {
                refusal = report;
            }
        }
        var download = history.Download(d.ProductKey, d.DeviceName);
        var reply = state.PushReplies.Count > 0 ? state.PushReplies[^1] : null;
        var current = registry.CurrentConfig(d.ProductKey);
        // Where the device stands with the config it runs; what it last refused is a separate field.
        string status = download?.Stage == RolloutStage.Downloading ? "downloading"
            : download?.Stage == RolloutStage.Trial ? "trial"
            : current == null ? "idle"
            : active == current.ConfigId ? "current"
            : registry.Verdict(d.DeviceName, current) is { NotTakenAgain: true } ? "refused"
            : "behind";
        return new DeviceView(d.ProductKey, d.DeviceName, online, d.Activated, active, status,
            download == null ? null : new DownloadView(download.ConfigId, download.Received, download.Total, download.Stage == RolloutStage.Trial),
            last, refusal, reply == null ? null : new PushReplyView(reply.Code, reply.Time));
    }
}

/// <summary>The console's picture of the platform.</summary>
public sealed record FleetSnapshot(PlatformView Platform, long Version, IReadOnlyList<ProductView> Products,
    IReadOnlyList<DeviceView> Devices, IReadOnlyList<ConfigView> Configs, IReadOnlyList<RolloutView> Rollouts);

/// <summary>Where the platform listens (ports 0 when it is not running).</summary>
/// <param name="MaxConfigSize">The largest config the platform publishes (the devices' limit).</param>
public sealed record PlatformView(string Host, int MqttTlsPort, int MqttPort, int HttpsPort, string DataFolder, DateTimeOffset Now,
    int MaxConfigSize);

/// <summary>A product, its offered config and its device count.</summary>
public sealed record ProductView(string ProductKey, string? CurrentConfigId, int Devices);

/// <summary>A device as the console lists it (never its secret).</summary>
/// <param name="ProductKey">Its product.</param>
/// <param name="DeviceName">Its name.</param>
/// <param name="Online">Connected now; null when the platform is not running.</param>
/// <param name="Activated">Has ever connected.</param>
/// <param name="ActiveConfigId">The config it last reported applied, or null.</param>
/// <param name="Status">Where it stands with the config it runs: current (it runs the product's current config), refused
/// (it refused the current config and will not take it again), behind (it runs another one, or none), idle (the product has no config to offer), downloading, trial (every byte served, its
/// result awaited).</param>
/// <param name="Download">The download in progress or awaiting its result, or null.</param>
/// <param name="LastResult">Its last result, or null.</param>
/// <param name="LastRefusal">Its last result that was not applied (rejected, rolled back, ...), or null.</param>
/// <param name="LastPushReply">Its last push_reply, or null.</param>
public sealed record DeviceView(string ProductKey, string DeviceName, bool? Online, bool Activated, string? ActiveConfigId,
    string Status, DownloadView? Download, ResultReport? LastResult, ResultReport? LastRefusal, PushReplyView? LastPushReply);

/// <summary>A download as the file server saw it: the bytes it served (sent into the connection), which a device
/// that dies mid-download has not all received.</summary>
public sealed record DownloadView(string ConfigId, long Served, long Total, bool Complete);

/// <summary>A push_reply's code and time.</summary>
public sealed record PushReplyView(int? Code, DateTimeOffset Time);

/// <summary>A published config, who holds it and when its rollout halts.</summary>
public sealed record ConfigView(string ConfigId, string ProductKey, long Size, string Sign, DateTimeOffset PublishedAt,
    DateTimeOffset OfferedAt, bool Current, ConfigRejection? Rejection, IReadOnlyList<string> Holders, RolloutHalt Halt);

/// <summary>One config's rollout: each device's stage, and every change of stage in milliseconds since it was offered.</summary>
/// <param name="ConfigId">The config.</param>
/// <param name="ProductKey">Its product.</param>
/// <param name="Size">Its size.</param>
/// <param name="OfferedAt">When it was (last) published.</param>
/// <param name="Rejection">Why the fleet refused it, or null.</param>
/// <param name="Devices">The product's devices, in the order <paramref name="Transitions"/> index them.</param>
/// <param name="Transitions">[milliseconds since <paramref name="OfferedAt"/>, device index, <see cref="RolloutStage"/>].</param>
/// <param name="Halt">When the rollout halts.</param>
public sealed record RolloutView(string ConfigId, string ProductKey, long Size, DateTimeOffset OfferedAt, ConfigRejection? Rejection,
    IReadOnlyList<RolloutDeviceView> Devices, IReadOnlyList<long[]> Transitions, RolloutHalt Halt);

/// <summary>Where one device stands in a rollout.</summary>
/// <param name="Served">Bytes the file server sent to it (not necessarily all received).</param>
public sealed record RolloutDeviceView(string DeviceName, RolloutStage? Stage, long Served, long Total, IReadOnlyList<string> Reasons);
