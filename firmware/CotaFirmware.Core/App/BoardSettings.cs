using CotaFirmware.Config;
using CotaFirmware.Json;
using CotaFirmware.Mqtt;
using CotaFirmware.Text;

namespace CotaFirmware.App;

/// <summary>
/// A board's file (its <c>board.json</c>): what only the board knows (name, nanoff target, status LED pin, MQTT
/// client, root CA file), kept here, and the sizes and times it tunes, which it sets on the device's
/// <see cref="DeviceSettings"/> (the one place each of them lives).
/// </summary>
/// <remarks>
/// <see cref="Load"/> is strict: an unknown or repeated key, a wrong type or a value out of range refuses the whole
/// document, names the key in <see cref="SettingsDocument.ErrorKey"/>, puts this object's values back at their defaults and leaves the
/// device's settings untouched, so a typo never runs silently. A key the file lacks leaves the device's setting as it
/// was (its layer's default, unless the caller set it). It reads in place with a caller's <see cref="JsonReader"/>
/// (twice: it checks the whole document before it sets anything) and allocates nothing beyond the strings it keeps (a
/// board name or CA file name that differs from the default) and, on the error path, the unknown key's name.
/// </remarks>
public sealed class BoardSettings : SettingsDocument
{
    /// <summary>The lowest GPIO number accepted for the status LED; -1 means the board has none.</summary>
    public const int NoLed = -1;

    /// <summary>The highest GPIO number of the ESP32 family (ESP32-S3: GPIO48).</summary>
    public const int MaxPin = 48;

    /// <summary>The smallest MQTT receive buffer: a COTA push carries a signed URL of more than 800 bytes.</summary>
    public const int MinMqttRxBufferSize = 1024;

    /// <summary>The smallest MQTT transmit buffer.</summary>
    public const int MinMqttTxBufferSize = 512;

    /// <summary>The largest MQTT buffer in either direction.</summary>
    public const int MaxMqttBufferSize = 65536;

    /// <summary>The smallest download buffer.</summary>
    public const int MinDownloadBufferSize = 512;

    /// <summary>The largest download buffer.</summary>
    public const int MaxDownloadBufferSize = 65536;

    /// <summary>The smallest JSON window: it is also the config store's work buffer, which holds a slot's header.</summary>
    public const int MinJsonWindowSize = ConfigStore.HeaderSize;

    /// <summary>The largest JSON window.</summary>
    public const int MaxJsonWindowSize = 8192;

    /// <summary>The smallest config the store accepts as a limit.</summary>
    public const int MinConfigSize = 1024;

    /// <summary>The largest config size limit (the store keeps two copies on flash).</summary>
    public const int MaxConfigSizeLimit = 16 * 1024 * 1024;

    /// <summary>The longest random wait before a download starts (10 minutes).</summary>
    public const int MaxDownloadJitterMs = 600000;

    /// <summary>The shortest time a new config gets to prove itself.</summary>
    public const int MinTrialDeadlineMs = 10000;

    /// <summary>The longest time a new config gets to prove itself (one hour).</summary>
    public const int MaxTrialDeadlineMs = 3600000;

    /// <summary>The most boots a config on trial may take.</summary>
    public const int MaxTrialBootsLimit = 10;

    /// <summary>The longest board name or root CA file name.</summary>
    public const int MaxNameLength = 32;

    /// <summary>The JSON key of <see cref="Board"/>.</summary>
    public const string BoardKey = "board";

    /// <summary>The JSON key of <see cref="Target"/>.</summary>
    public const string TargetKey = "target";

    /// <summary>The JSON key of a free-text note for people; its string value is checked and skipped.</summary>
    public const string NotesKey = "notes";

    /// <summary>The JSON key of <see cref="StatusLedPin"/>.</summary>
    public const string StatusLedPinKey = "statusLedPin";

    /// <summary>The JSON key of <see cref="StatusLedActiveHigh"/>.</summary>
    public const string StatusLedActiveHighKey = "statusLedActiveHigh";

    /// <summary>The JSON key of <see cref="MqttTransport"/>.</summary>
    public const string MqttTransportKey = "mqttTransport";

    /// <summary>The JSON key of <see cref="MqttClientSettings.ReceiveBufferSize"/>.</summary>
    public const string MqttRxBufferSizeKey = "mqttRxBufferSize";

    /// <summary>The JSON key of <see cref="MqttClientSettings.TransmitBufferSize"/> (and LinkKit's transmit buffer).</summary>
    public const string MqttTxBufferSizeKey = "mqttTxBufferSize";

    /// <summary>The JSON key of the download's <see cref="Cota.DownloadSettings.BufferSize"/>.</summary>
    public const string DownloadBufferSizeKey = "downloadBufferSize";

    /// <summary>The JSON key of <see cref="DeviceSettings.ConfigWindowSize"/>.</summary>
    public const string JsonWindowSizeKey = "jsonWindowSize";

    /// <summary>The JSON key of <see cref="DeviceSettings.MaxConfigSize"/>.</summary>
    public const string MaxConfigSizeKey = "maxConfigSize";

    /// <summary>The JSON key of COTA's <see cref="Cota.CotaSettings.StartJitterMs"/>.</summary>
    public const string DownloadJitterMsKey = "downloadJitterMs";

    /// <summary>The JSON key of COTA's <see cref="Cota.CotaSettings.TrialDeadlineMs"/>.</summary>
    public const string TrialDeadlineMsKey = "trialDeadlineMs";

    /// <summary>The JSON key of <see cref="DeviceSettings.MaxTrialBoots"/>.</summary>
    public const string MaxTrialBootsKey = "maxTrialBoots";

    /// <summary>The JSON key of LinkKit's <see cref="Linkkit.LinkkitSettings.KeepAliveSeconds"/>.</summary>
    public const string KeepAliveSecondsKey = "keepAliveSeconds";

    /// <summary>The JSON key of <see cref="RootCaFile"/>.</summary>
    public const string RootCaFileKey = "rootCaFile";

    /// <summary>The JSON key of <see cref="TraceMemory"/>.</summary>
    public const string TraceMemoryKey = "traceMemory";

    /// <summary>The name <see cref="Target"/> takes for the PC board, which nanoff does not flash.</summary>
    public const string HostTarget = "host";

    /// <summary>The name <see cref="Target"/> takes for the ESP32 application on nanoCLR, which nanoff does not flash either.</summary>
    public const string NanoClrTarget = "nanoclr";

    // Indices into KeyNames.
    private const int KBoard = 0, KTarget = 1, KNotes = 2, KLedPin = 3, KLedHigh = 4, KTransport = 5, KRx = 6, KTx = 7,
        KDownload = 8, KWindow = 9, KMaxConfig = 10, KJitter = 11, KDeadline = 12, KBoots = 13, KKeepAlive = 14, KRootCa = 15, KTrace = 16;

    private const string DefaultBoard = "esp32";
    private const string DefaultRootCaFile = "root-ca.pem";

    private static readonly string[] KeyNames =
    {
        BoardKey, TargetKey, NotesKey, StatusLedPinKey, StatusLedActiveHighKey, MqttTransportKey, MqttRxBufferSizeKey,
        MqttTxBufferSizeKey, DownloadBufferSizeKey, JsonWindowSizeKey, MaxConfigSizeKey, DownloadJitterMsKey,
        TrialDeadlineMsKey, MaxTrialBootsKey, KeepAliveSecondsKey, RootCaFileKey, TraceMemoryKey,
    };

    // Where each chip's targets start in Targets, which lists them chip by chip.
    private const int FirstC3Target = 11;
    private const int FirstC6Target = 14;
    private const int FirstH2Target = 15;
    private const int FirstS3Target = 16;
    private const int FirstHostTarget = 20;

    /// <summary>The nanoff targets of the ESP32 family (nanoff --listtargets --platform esp32), chip by chip (classic ESP32, C3, C6, H2, S3), and the host's.</summary>
    private static readonly string[] Targets =
    {
        "ESP32_REV0", "ESP32_REV3", "ESP32_PSRAM_REV0", "ESP32_PSRAM_REV3", "ESP32_PICO", "ESP_WROVER_KIT", "M5Stack",
        "M5Core", "M5Core2", "ESP32_LILYGO", "ESP32_OLIMEX",
        "ESP32_C3", "ESP32_C3_REV3", "XIAO_ESP32C3",
        "ESP32_C6_THREAD",
        "ESP32_H2_THREAD",
        "ESP32_S3", "ESP32_S3_BLE", "ESP32_S3_ALL", "AtomS3",
        HostTarget, NanoClrTarget,
    };

    private static readonly string[] TransportNames = { "core", "m2mqtt" };

    private static readonly byte[][] TargetBytes = Utf8.GetBytes(Targets);
    private static readonly byte[][] TransportBytes = Utf8.GetBytes(TransportNames);
    private static readonly byte[] DefaultBoardBytes = Utf8.GetBytes(DefaultBoard);
    private static readonly byte[] DefaultRootCaFileBytes = Utf8.GetBytes(DefaultRootCaFile);

    private string _board;
    private int _targetIndex; // into Targets
    private int _statusLedPin;
    private int _statusLedPinOffset;
    private bool _statusLedActiveHigh;
    private bool _traceMemory;
    private MqttTransport _mqttTransport;
    private string _rootCaFile;

    // The device's settings the walk sets, or null while it only checks the document.
    private DeviceSettings _device;

    /// <summary>Creates settings with the defaults.</summary>
    public BoardSettings()
        : base(KeyNames)
    {
        SetDefaults();
    }

    /// <summary>The board's name, for logs (letters, digits, <c>. _ -</c>).</summary>
    public string Board => _board;

    /// <summary>The nanoff target the board is flashed with (for example <c>ESP32_REV0</c>), or <see cref="HostTarget"/> or <see cref="NanoClrTarget"/>.</summary>
    public string Target => Targets[_targetIndex];

    /// <summary>The GPIO of a plain status LED, or <see cref="NoLed"/>.</summary>
    public int StatusLedPin => _statusLedPin;

    /// <summary>Whether the LED lights when its pin is high (false: wired to the supply, lit when low).</summary>
    public bool StatusLedActiveHigh => _statusLedActiveHigh;

    /// <summary>
    /// Whether the application prints the runtime's memory figures: its GC lines (firmware built with
    /// NF_TRACE_MEMORY_STATS, and nanoCLR, print them) and a mark at every download chunk (nanoCLR's allocation counters).
    /// </summary>
    public bool TraceMemory => _traceMemory;

    /// <summary>Which MQTT client LinkKit runs over.</summary>
    public MqttTransport MqttTransport => _mqttTransport;

    /// <summary>The file, next to board.json, that holds the root CA (PEM) the TLS connections trust.</summary>
    public string RootCaFile => _rootCaFile;

    /// <summary>
    /// Reads a board.json held in <paramref name="buffer"/>[<paramref name="offset"/>..+<paramref name="count"/>] over
    /// <paramref name="reader"/> (in place: no window needed): keeps the board's own values and, once the whole
    /// document checked out, sets the sizes and times it holds on <paramref name="device"/>.
    /// </summary>
    /// <returns><see cref="SettingsError.None"/>; or the error, with this object's values back at their defaults and <paramref name="device"/> untouched.</returns>
    public SettingsError Load(byte[] buffer, int offset, int count, JsonReader reader, DeviceSettings device)
    {
        SetDefaults();
        SettingsError error = Read(buffer, offset, count, reader, null);
        if (error == SettingsError.None && IsFlashPin(_targetIndex, _statusLedPin))
        {
            // Checked once the whole document is read: the target may come after the pin, or be left at its default.
            error = Refuse(SettingsError.FlashPin, KLedPin, _statusLedPinOffset);
        }

        if (error != SettingsError.None)
        {
            SetDefaults();
            return error;
        }

        // Checked whole: now the same values go to the device's settings.
        return Read(buffer, offset, count, reader, device);
    }

    // True when pin carries the SPI flash on the chip Targets[target] runs on, so that driving it crashes the board
    // (the chips' datasheets: ESP32 GPIO6..11, C3 GPIO12..17, C6 GPIO24..30, H2 GPIO15..21, S3 GPIO26..32).
    private static bool IsFlashPin(int target, int pin)
    {
        if (target < FirstC3Target)
        {
            return pin >= 6 && pin <= 11;
        }

        if (target < FirstC6Target)
        {
            return pin >= 12 && pin <= 17;
        }

        if (target < FirstH2Target)
        {
            return pin >= 24 && pin <= 30;
        }

        if (target < FirstS3Target)
        {
            return pin >= 15 && pin <= 21;
        }

        return target < FirstHostTarget && pin >= 26 && pin <= 32;
    }

    // One pass over the document: the board's own values, and the device's when device is not null.
    private SettingsError Read(byte[] buffer, int offset, int count, JsonReader reader, DeviceSettings device)
    {
        _device = device;
        SettingsError error = Walk(buffer, offset, count, reader);
        _device = null;
        return error;
    }

    /// <inheritdoc/>
    protected override SettingsError ApplyValue(int key)
    {
        int v;
        SettingsError error;
        switch (key)
        {
            case KBoard:
                return ReadName(true);
            case KRootCa:
                return ReadName(false);
            case KNotes:
                return Reader.TokenKind == JsonTokenKind.String ? SettingsError.None : SettingsError.WrongType;
            case KTarget:
                error = ReadOneOf(TargetBytes, out v);
                _targetIndex = error == SettingsError.None ? v : _targetIndex;
                return error;
            case KTransport:
                error = ReadOneOf(TransportBytes, out v);
                _mqttTransport = v == 1 ? MqttTransport.M2Mqtt : MqttTransport.Core;
                return error;
            case KLedHigh:
                return ReadBoolean(out _statusLedActiveHigh);
            case KTrace:
                return ReadBoolean(out _traceMemory);
            case KLedPin:
                _statusLedPinOffset = ValueOffset;
                return ReadInt32(NoLed, MaxPin, out _statusLedPin);
        }

        // A tuning key: its range, then its one home in the device's settings.
        int lowest, highest;
        switch (key)
        {
            case KRx: lowest = MinMqttRxBufferSize; highest = MaxMqttBufferSize; break;
            case KTx: lowest = MinMqttTxBufferSize; highest = MaxMqttBufferSize; break;
            case KDownload: lowest = MinDownloadBufferSize; highest = MaxDownloadBufferSize; break;
            case KWindow: lowest = MinJsonWindowSize; highest = MaxJsonWindowSize; break;
            case KMaxConfig: lowest = MinConfigSize; highest = MaxConfigSizeLimit; break;
            case KJitter: lowest = 0; highest = MaxDownloadJitterMs; break;
            case KDeadline: lowest = MinTrialDeadlineMs; highest = MaxTrialDeadlineMs; break;
            case KBoots: lowest = 1; highest = MaxTrialBootsLimit; break;
            default: lowest = MqttClient.MinKeepAliveSeconds; highest = MqttClient.MaxKeepAliveSeconds; break;
        }

        error = ReadInt32(lowest, highest, out v);
        if (error == SettingsError.None && _device != null)
        {
            Set(_device, key, v);
        }

        return error;
    }

    // Where each tuning key lives: its one home in the device's settings.
    private static void Set(DeviceSettings device, int key, int v)
    {
        switch (key)
        {
            case KRx:
                device.Mqtt.ReceiveBufferSize = v;
                break;
            case KTx:
                device.Mqtt.TransmitBufferSize = v;
                device.Linkkit.TxBufferSize = v;
                break;
            case KDownload:
                device.Download.BufferSize = v;
                break;
            case KWindow:
                device.ConfigWindowSize = v;
                break;
            case KMaxConfig:
                device.MaxConfigSize = v;
                break;
            case KJitter:
                device.Cota.StartJitterMs = v;
                break;
            case KDeadline:
                device.Cota.TrialDeadlineMs = v;
                break;
            case KBoots:
                device.MaxTrialBoots = v;
                break;
            default:
                device.Linkkit.KeepAliveSeconds = v;
                break;
        }
    }

    // Board and CA file names: 1..MaxNameLength of A-Z a-z 0-9 . _ - (a file name on I:\ and a word in a log line).
    // The checking pass takes the name; one equal to the default keeps the default's string, so reading the usual
    // board.json again makes no string.
    private SettingsError ReadName(bool board)
    {
        JsonReader reader = Reader;
        if (reader.TokenKind != JsonTokenKind.String)
        {
            return SettingsError.WrongType;
        }

        byte[] b = reader.TokenBuffer;
        int start = reader.TokenIndex + 1;
        int n = reader.TokenLength - 2;
        if (reader.HasEscapes || n < 1 || n > MaxNameLength)
        {
            return SettingsError.OutOfRange;
        }

        for (int i = start; i < start + n; i++)
        {
            int c = b[i];
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (!ok)
            {
                return SettingsError.OutOfRange;
            }
        }

        if (_device != null)
        {
            return SettingsError.None;
        }

        string name = reader.ValueEquals(board ? DefaultBoardBytes : DefaultRootCaFileBytes) ? null : Utf8.GetString(b, start, n);
        if (board)
        {
            _board = name ?? DefaultBoard;
        }
        else
        {
            _rootCaFile = name ?? DefaultRootCaFile;
        }

        return SettingsError.None;
    }

    private void SetDefaults()
    {
        _board = DefaultBoard;
        _targetIndex = 0; // ESP32_REV0
        _statusLedPin = NoLed;
        _statusLedActiveHigh = true;
        _traceMemory = false;
        _mqttTransport = MqttTransport.Core;
        _rootCaFile = DefaultRootCaFile;
    }
}
