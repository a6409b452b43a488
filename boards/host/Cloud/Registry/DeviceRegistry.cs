using System.Security.Cryptography;
using System.Text.Json;
using CotaFirmware.Host.Cloud.Cota;

namespace CotaFirmware.Host.Cloud.Registry;

/// <summary>Products, devices, published configs and per-device COTA state, kept in registry.json in the data folder.</summary>
/// <remarks>Thread-safe. Every change is written through (temp file, then rename) so a restart finds it again.</remarks>
public sealed class DeviceRegistry
{
    /// <summary>Registration error: a parameter is missing or malformed.</summary>
    public const int CodeBadRequest = 460;

    /// <summary>Registration error: the sign does not verify with the ProductSecret.</summary>
    public const int CodeBadSign = 6204;

    /// <summary>Registration error: the product is unknown.</summary>
    public const int CodeProductNotFound = 6250;

    /// <summary>Registration error: the device is unknown and the registry does not create devices on registration.</summary>
    public const int CodeDeviceNotFound = 6100;

    /// <summary>Registration error: the device has already connected, so it must use the secret it has.</summary>
    public const int CodeAlreadyActivated = 6288;

    private const int KeptMessages = 100;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly object _gate = new();
    private readonly string _path;
    private readonly State _state;

    /// <summary>Opens (or creates) the registry in <paramref name="dataFolder"/>.</summary>
    public DeviceRegistry(string dataFolder)
    {
        OwnerOnlyFile.CreateFolder(dataFolder);
        _path = Path.Combine(dataFolder, "registry.json");
        try
        {
            _state = File.Exists(_path)
                ? JsonSerializer.Deserialize<State>(File.ReadAllText(_path), Json) ?? new State()
                : new State();
        }
        catch (JsonException e)
        {
            throw new DamagedDataException(_path + " is damaged (not the registry's JSON, at line " + ((e.LineNumber ?? 0) + 1)
                + "): restore it from a copy, or delete it to start an empty platform (its products, devices with their secrets "
                + "and configs are then gone: provision the devices again)");
        }
        if (string.IsNullOrEmpty(_state.UrlKeySecret))
        {
            _state.UrlKeyId = "STS.NT" + RandomToken(22, Alnum);
            _state.UrlKeySecret = RandomToken(30, Alnum);
            Save();
        }
    }

    /// <summary>When true, registering an unknown DeviceName of a known product creates the device (default false:
    /// as on Aliyun, the device must be added first, without a secret).</summary>
    public bool RegistrationCreatesDevices { get; set; }

    /// <summary>The access key id that signs download URLs (OSSAccessKeyId).</summary>
    internal string UrlKeyId => _state.UrlKeyId;

    /// <summary>The key that signs download URLs.</summary>
    internal string UrlKeySecret => _state.UrlKeySecret;

    /// <summary>Every product.</summary>
    public IReadOnlyList<Product> Products { get { lock (_gate) { return _state.Products.ToArray(); } } }

    /// <summary>Every device.</summary>
    public IReadOnlyList<Device> Devices { get { lock (_gate) { return _state.Devices.ToArray(); } } }

    /// <summary>Every published config, oldest first.</summary>
    public IReadOnlyList<ConfigFile> Configs { get { lock (_gate) { return _state.Configs.ToArray(); } } }

    /// <summary>Adds a product (random key and secret when not given); returns the existing one if the key is known.</summary>
    public Product AddProduct(string? productKey = null, string? productSecret = null)
    {
        lock (_gate)
        {
            productKey ??= "a1" + RandomToken(9, Alnum);
            var known = _state.Products.Find(p => p.ProductKey == productKey);
            if (known != null)
            {
                return known;
            }
            var product = new Product(productKey, productSecret ?? RandomToken(16, Alnum));
            _state.Products.Add(product);
            Save();
            return product;
        }
    }

    /// <summary>Adds or replaces a device of a known product with a secret (random when not given).</summary>
    public Device AddDevice(string productKey, string deviceName, string? deviceSecret = null)
    {
        return Put(productKey, deviceName, deviceSecret ?? NewDeviceSecret());
    }

    /// <summary>Adds or resets a device with no secret yet: it gets one by dynamic registration.</summary>
    public Device AddDeviceForRegistration(string productKey, string deviceName)
    {
        return Put(productKey, deviceName, null);
    }

    /// <summary>The product with this key, or null.</summary>
    public Product? FindProduct(string productKey)
    {
        lock (_gate)
        {
            return _state.Products.Find(p => p.ProductKey == productKey);
        }
    }

    /// <summary>The device, or null.</summary>
    public Device? FindDevice(string productKey, string deviceName)
    {
        lock (_gate)
        {
            return _state.Devices.Find(d => d.ProductKey == productKey && d.DeviceName == deviceName);
        }
    }

    /// <summary>Why <paramref name="name"/> cannot be a device name (the core's rule,
    /// <see cref="CotaFirmware.Linkkit.DeviceIdentity.IsDeviceName"/>: a device with another name can never connect), or
    /// null when it can.</summary>
    public static string? NameProblem(string name) =>
        CotaFirmware.Linkkit.DeviceIdentity.IsDeviceName(name) ? null : "'" + name + "' is no device name: " + NameRule;

    /// <summary>Why <paramref name="productKey"/> cannot be a product key (the core's rule,
    /// <see cref="CotaFirmware.Linkkit.DeviceIdentity.IsProductKey"/>), or null when it can.</summary>
    public static string? KeyProblem(string productKey) => CotaFirmware.Linkkit.DeviceIdentity.IsProductKey(productKey) ? null
        : "'" + productKey + "' is no product key: 1 to " + CotaFirmware.Linkkit.DeviceIdentity.MaxProductKeyLength + " letters and digits";

    /// <summary>Why the names <paramref name="prefix"/>1 to <paramref name="prefix"/><paramref name="count"/> cannot all be
    /// device names (see <see cref="NameProblem"/>), or null when they can.</summary>
    public static string? NumberedNamesProblem(string prefix, int count) => NameProblem(prefix + count) is null ? null
        : "'" + prefix + "' cannot start device names: " + prefix + "1" + (count > 1 ? ".." + prefix + count : "") + " must be " + NameRule;

    private static string NameRule => "1 to " + CotaFirmware.Linkkit.DeviceIdentity.MaxDeviceNameLength
        + " characters of A-Z a-z 0-9 _ - @ . :";

    /// <summary>Dynamic registration (one type, one secret) after the sign has been checked by the caller:
    /// issues a fresh secret unless the device is activated.</summary>
    public RegistrationOutcome Register(string productKey, string deviceName)
    {
        lock (_gate)
        {
            if (FindProduct(productKey) is null)
            {
                return new RegistrationOutcome(CodeProductNotFound, "product not found", null);
            }
            var device = FindDevice(productKey, deviceName);
            if (device is null && !RegistrationCreatesDevices)
            {
                return new RegistrationOutcome(CodeDeviceNotFound, "device not found", null);
            }
            if (device is { Activated: true })
            {
                return new RegistrationOutcome(CodeAlreadyActivated, "device is already active", null);
            }
            return new RegistrationOutcome(200, "success", Put(productKey, deviceName, NewDeviceSecret()));
        }
    }

    /// <summary>Marks a device activated (it connected with valid credentials).</summary>
    public void MarkActivated(string productKey, string deviceName)
    {
        lock (_gate)
        {
            var i = IndexOf(productKey, deviceName);
            if (i >= 0 && !_state.Devices[i].Activated)
            {
                _state.Devices[i] = _state.Devices[i] with { Activated = true };
                Save();
            }
        }
    }

    /// <summary>The config with this id, or null.</summary>
    public ConfigFile? FindConfig(string configId)
    {
        lock (_gate)
        {
            return _state.Configs.Find(c => c.ConfigId == configId);
        }
    }

    /// <summary>The config the product's devices are offered (push and get_reply), or null when it has none.</summary>
    /// <remarks>Rollout rule: the most recently published config that no device has refused. A result
    /// <c>rejected</c> for the config itself (a module's or the JSON's error, not a failed download) or
    /// <c>rolled_back</c> marks the config refused; devices that ask later get the config before it again, until
    /// the refused one is published again.</remarks>
    public ConfigFile? CurrentConfig(string productKey)
    {
        lock (_gate)
        {
            ConfigFile? current = null;
            foreach (var c in _state.Configs)
            {
                if (c.ProductKey == productKey && c.Rejection is null && (current is null || c.OfferedAt >= current.OfferedAt))
                {
                    current = c;
                }
            }
            return current;
        }
    }

    /// <summary>Marks a config refused (the first refusal is kept); false when it was already marked or is unknown.</summary>
    internal bool MarkRejected(string configId, ConfigRejection rejection)
    {
        lock (_gate)
        {
            var i = _state.Configs.FindIndex(c => c.ConfigId == configId);
            if (i < 0 || _state.Configs[i].Rejection != null)
            {
                return false;
            }
            _state.Configs[i] = _state.Configs[i] with { Rejection = rejection };
            Save();
            return true;
        }
    }

    /// <summary>Publishes a known config again: clears its refusal and makes it the offered config.</summary>
    internal ConfigFile Republish(string configId, DateTimeOffset now)
    {
        lock (_gate)
        {
            var i = _state.Configs.FindIndex(c => c.ConfigId == configId);
            if (i < 0)
            {
                throw new InvalidOperationException("no such config " + configId);
            }
            _state.Configs[i] = _state.Configs[i] with { Rejection = null, OfferedSince = now };
            Save();
            return _state.Configs[i];
        }
    }

    /// <summary>The COTA state of a device (empty when it has none).</summary>
    public DeviceCotaState CotaState(string productKey, string deviceName)
    {
        lock (_gate)
        {
            return _state.Cota.TryGetValue(Key(productKey, deviceName), out var s) ? s : DeviceCotaState.Empty;
        }
    }

    /// <summary>The device's newest result on <paramref name="configId"/> that arrived at or after <paramref name="since"/>, or null.</summary>
    public ResultReport? LastResult(string productKey, string deviceName, string configId, DateTimeOffset since)
    {
        var results = CotaState(productKey, deviceName).Results;
        for (int i = results.Count - 1; i >= 0 && results[i].Time >= since; i--)
        {
            if (ResultReport.From(results[i]) is { } report && report.ConfigId == configId)
            {
                return report;
            }
        }
        return null;
    }

    /// <summary>The device's result that ends its part in the config's rollout: its newest since the config was last
    /// published, else an older one after which the device never takes the config again
    /// (<see cref="ResultReport.NotTakenAgain"/>: publishing it again changes nothing there); null while it is still to
    /// report.</summary>
    public ResultReport? Verdict(string deviceName, ConfigFile config) =>
        LastResult(config.ProductKey, deviceName, config.ConfigId, DateTimeOffset.MinValue) is { } last
        && (last.Time >= config.OfferedAt || last.NotTakenAgain) ? last : null;

    /// <summary>The product's devices that refused <paramref name="config"/> before it was last published and will not
    /// take it again (see <see cref="Verdict"/>).</summary>
    public IReadOnlyList<string> DevicesDoneWith(ConfigFile config) => Devices
        .Where(d => d.ProductKey == config.ProductKey && Verdict(d.DeviceName, config) is { } v && v.Time < config.OfferedAt)
        .Select(d => d.DeviceName).ToArray();

    internal void AddConfig(ConfigFile config)
    {
        lock (_gate)
        {
            _state.Configs.Add(config);
            Save();
        }
    }

    internal void RecordPushes(IReadOnlyList<ConfigPush> pushes)
    {
        lock (_gate)
        {
            foreach (var p in pushes)
            {
                var key = Key(p.ProductKey, p.DeviceName);
                var state = _state.Cota.TryGetValue(key, out var s) ? s : DeviceCotaState.Empty;
                _state.Cota[key] = state with
                {
                    LastPushId = p.PushId, LastPushConfigId = p.Config.ConfigId, Offered = Offer(state, p.Config.ConfigId),
                };
            }
            Save();
        }
    }

    /// <summary>Records that a get_reply offered <paramref name="configId"/> to the device.</summary>
    internal void RecordOffer(string productKey, string deviceName, string configId)
    {
        Update(productKey, deviceName, s => s.Offered.Contains(configId) ? s : s with { Offered = Offer(s, configId) });
    }

    /// <summary>True when the device was offered <paramref name="configId"/> (by push or get_reply).</summary>
    public bool WasOffered(string productKey, string deviceName, string configId)
    {
        var state = CotaState(productKey, deviceName);
        return state.LastPushConfigId == configId || state.Offered.Contains(configId);
    }

    internal void RecordPushReply(DeviceMessage message)
    {
        Update(message.ProductKey, message.DeviceName, s => s with { PushReplies = Append(s.PushReplies, message) });
    }

    internal void RecordResult(DeviceMessage message)
    {
        Update(message.ProductKey, message.DeviceName, s => s with { Results = Append(s.Results, message) });
    }

    private void Update(string productKey, string deviceName, Func<DeviceCotaState, DeviceCotaState> change)
    {
        lock (_gate)
        {
            var key = Key(productKey, deviceName);
            _state.Cota[key] = change(_state.Cota.TryGetValue(key, out var s) ? s : DeviceCotaState.Empty);
            Save();
        }
    }

    private static IReadOnlyList<string> Offer(DeviceCotaState state, string configId) =>
        state.Offered.Where(c => c != configId).Append(configId).TakeLast(KeptMessages).ToArray();

    private static IReadOnlyList<DeviceMessage> Append(IReadOnlyList<DeviceMessage> list, DeviceMessage message) =>
        list.Append(message).TakeLast(KeptMessages).ToArray();

    private Device Put(string productKey, string deviceName, string? secret)
    {
        if (string.IsNullOrEmpty(deviceName) || deviceName.Length > 32)
        {
            throw new ArgumentException("a DeviceName has 1 to 32 characters", nameof(deviceName));
        }
        lock (_gate)
        {
            if (FindProduct(productKey) is null)
            {
                throw new InvalidOperationException("unknown product " + productKey);
            }
            var device = new Device(productKey, deviceName, secret, false);
            var i = IndexOf(productKey, deviceName);
            if (i >= 0)
            {
                _state.Devices[i] = device;
            }
            else
            {
                _state.Devices.Add(device);
            }
            Save();
            return device;
        }
    }

    private int IndexOf(string productKey, string deviceName) =>
        _state.Devices.FindIndex(d => d.ProductKey == productKey && d.DeviceName == deviceName);

    private static string Key(string productKey, string deviceName) => productKey + "/" + deviceName;

    private void Save()
    {
        // It holds every device secret and the product secrets.
        OwnerOnlyFile.Write(_path, JsonSerializer.SerializeToUtf8Bytes(_state, Json));
    }

    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static string NewDeviceSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    internal static string RandomToken(int length, string alphabet) =>
        RandomNumberGenerator.GetString(alphabet, length);

    /// <summary>The registry file's shape.</summary>
    private sealed class State
    {
        public string UrlKeyId { get; set; } = "";
        public string UrlKeySecret { get; set; } = "";
        public List<Product> Products { get; set; } = new();
        public List<Device> Devices { get; set; } = new();
        public List<ConfigFile> Configs { get; set; } = new();
        public Dictionary<string, DeviceCotaState> Cota { get; set; } = new();
    }
}
