using System;
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
/// document, names the key in <see cref="ErrorKey"/>, puts this object's values back at their defaults and leaves the
/// device's settings untouched, so a typo never runs silently. A key the file lacks leaves the device's setting as it
/// was (its layer's default, unless the caller set it). It reads in place with a caller's <see cref="JsonReader"/>
/// (twice: it checks the whole document before it sets anything) and allocates nothing beyond the strings it keeps (a
/// board name or CA file name that differs from the default) and, on the error path, the unknown key's name.
/// </remarks>
public sealed class BoardSettings
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

    /// <summary>The smallest JSON window: it must hold the longest string of a streamed config.</summary>
    public const int MinJsonWindowSize = 64;

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

    /// <summary>The JSON key of <see cref="DeviceSettings.MqttReceiveBufferSize"/>.</summary>
    public const string MqttRxBufferSizeKey = "mqttRxBufferSize";

    /// <summary>The JSON key of <see cref="DeviceSettings.MqttTransmitBufferSize"/> (and LinkKit's transmit buffer).</summary>
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

    // Indices into KeyNames/Keys; a key's bit in the seen-mask is 1 << index.
    private const int KBoard = 0, KTarget = 1, KNotes = 2, KLedPin = 3, KLedHigh = 4, KTransport = 5, KRx = 6, KTx = 7,
        KDownload = 8, KWindow = 9, KMaxConfig = 10, KJitter = 11, KDeadline = 12, KBoots = 13, KKeepAlive = 14, KRootCa = 15, KTrace = 16;

    private const string DefaultBoard = "esp32";
    private const string DefaultTarget = "ESP32_REV0";
    private const string DefaultRootCaFile = "root-ca.pem";

    private static readonly string[] KeyNames =
    {
        BoardKey, TargetKey, NotesKey, StatusLedPinKey, StatusLedActiveHighKey, MqttTransportKey, MqttRxBufferSizeKey,
        MqttTxBufferSizeKey, DownloadBufferSizeKey, JsonWindowSizeKey, MaxConfigSizeKey, DownloadJitterMsKey,
        TrialDeadlineMsKey, MaxTrialBootsKey, KeepAliveSecondsKey, RootCaFileKey, TraceMemoryKey,
    };

    /// <summary>The nanoff targets of the ESP32 family (nanoff --listtargets --platform esp32), and the host.</summary>
    private static readonly string[] Targets =
    {
        "ESP32_REV0", "ESP32_REV3", "ESP32_PSRAM_REV0", "ESP32_PSRAM_REV3", "ESP32_PICO", "ESP_WROVER_KIT", "ESP32_C3",
        "ESP32_C3_REV3", "ESP32_C6_THREAD", "ESP32_H2_THREAD", "ESP32_S3", "ESP32_S3_BLE", "ESP32_S3_ALL", "XIAO_ESP32C3",
        "M5Stack", "M5Core", "M5Core2", "AtomS3", "ESP32_LILYGO", "ESP32_OLIMEX", HostTarget, NanoClrTarget,
    };

    private static readonly string[] TransportNames = { "core", "m2mqtt" };

    private static readonly byte[][] Keys = AsciiTable(KeyNames);
    private static readonly byte[][] TargetBytes = AsciiTable(Targets);
    private static readonly byte[][] TransportBytes = AsciiTable(TransportNames);
    private static readonly byte[] DefaultBoardBytes = Utf8.GetBytes(DefaultBoard);
    private static readonly byte[] DefaultRootCaFileBytes = Utf8.GetBytes(DefaultRootCaFile);

    private readonly byte[] _boardName = new byte[MaxNameLength];
    private readonly byte[] _rootCaFileName = new byte[MaxNameLength];
    private int _boardNameLength;
    private int _rootCaFileNameLength;
    private string _board;
    private string _target;
    private int _statusLedPin;
    private bool _statusLedActiveHigh;
    private bool _traceMemory;
    private MqttTransport _mqttTransport;
    private string _rootCaFile;
    private SettingsError _error;
    private string _errorKey;
    private int _errorOffset;

    /// <summary>Creates settings with the defaults.</summary>
    public BoardSettings()
    {
        SetDefaults();
    }

    /// <summary>The board's name, for logs (letters, digits, <c>. _ -</c>).</summary>
    public string Board => _board;

    /// <summary>The nanoff target the board is flashed with (for example <c>ESP32_REV0</c>), or <see cref="HostTarget"/> or <see cref="NanoClrTarget"/>.</summary>
    public string Target => _target;

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

    /// <summary>Why the last <see cref="Load"/> failed, or <see cref="SettingsError.None"/>.</summary>
    public SettingsError Error => _error;

    /// <summary>The key the last error concerns, or null when it concerns no key.</summary>
    public string ErrorKey => _errorKey;

    /// <summary>The byte offset in the document where the last error was found, or -1.</summary>
    public int ErrorOffset => _errorOffset;

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
        if (error == SettingsError.Malformed)
        {
            _errorOffset = reader.ErrorOffset;
            _errorKey = null;
        }

        if (error != SettingsError.None)
        {
            SettingsError kept = error;
            string key = ErrorKey;
            int at = ErrorOffset;
            SetDefaults();
            _error = kept;
            _errorKey = key;
            _errorOffset = at;
            return error;
        }

        // Checked whole: now the same values go to the device's settings.
        Read(buffer, offset, count, reader, device);
        _errorKey = null;
        _errorOffset = -1;
        return SettingsError.None;
    }

    /// <summary>Describes the last error for a log line, for example <c>out of range: keepAliveSeconds at byte 120</c>.</summary>
    public string DescribeError()
    {
        string what;
        switch (Error)
        {
            case SettingsError.None: return "none";
            case SettingsError.Malformed: what = "malformed JSON"; break;
            case SettingsError.NotAnObject: what = "not an object"; break;
            case SettingsError.UnknownKey: what = "unknown key"; break;
            case SettingsError.DuplicateKey: what = "duplicate key"; break;
            case SettingsError.WrongType: what = "wrong type"; break;
            default: what = "out of range"; break;
        }

        return (ErrorKey == null ? what : what + ": " + ErrorKey) + " at byte " + ErrorOffset.ToString();
    }

    // One pass over the document: the board's own values, and the device's when device is not null.
    private SettingsError Read(byte[] buffer, int offset, int count, JsonReader reader, DeviceSettings device)
    {
        reader.Begin(buffer, offset, count);
        SettingsError error = Apply(reader, device);
        if (error == SettingsError.None && (reader.Read() || reader.Error != JsonError.None))
        {
            error = SettingsError.Malformed;
        }

        return error;
    }

    private SettingsError Apply(JsonReader reader, DeviceSettings device)
    {
        if (!reader.Read())
        {
            return SettingsError.Malformed;
        }

        if (reader.TokenKind != JsonTokenKind.BeginObject)
        {
            _errorOffset = reader.TokenOffset;
            return SettingsError.NotAnObject;
        }

        int seen = 0;
        while (reader.Read())
        {
            if (reader.TokenKind == JsonTokenKind.EndObject)
            {
                return SettingsError.None;
            }

            // Inside the top-level object every other token here is a property name.
            int key = FindKey(reader);
            _errorOffset = reader.TokenOffset;
            if (key < 0)
            {
                _errorKey = RawName(reader);
                return SettingsError.UnknownKey;
            }

            _errorKey = KeyNames[key];
            if ((seen & (1 << key)) != 0)
            {
                return SettingsError.DuplicateKey;
            }

            seen |= 1 << key;
            if (!reader.Read())
            {
                return SettingsError.Malformed;
            }

            _errorOffset = reader.TokenOffset;
            SettingsError error = ApplyValue(key, reader, device);
            if (error != SettingsError.None)
            {
                return error;
            }
        }

        return SettingsError.Malformed;
    }

    private SettingsError ApplyValue(int key, JsonReader reader, DeviceSettings device)
    {
        JsonTokenKind kind = reader.TokenKind;
        switch (key)
        {
            case KBoard:
                return ReadName(reader, true);
            case KRootCa:
                return ReadName(reader, false);
            case KNotes:
                return kind == JsonTokenKind.String ? SettingsError.None : SettingsError.WrongType;
            case KTarget:
            {
                if (kind != JsonTokenKind.String)
                {
                    return SettingsError.WrongType;
                }

                int t = Find(reader, TargetBytes);
                if (t < 0)
                {
                    return SettingsError.OutOfRange;
                }

                _target = Targets[t];
                return SettingsError.None;
            }

            case KTransport:
            {
                if (kind != JsonTokenKind.String)
                {
                    return SettingsError.WrongType;
                }

                int t = Find(reader, TransportBytes);
                if (t < 0)
                {
                    return SettingsError.OutOfRange;
                }

                _mqttTransport = t == 0 ? MqttTransport.Core : MqttTransport.M2Mqtt;
                return SettingsError.None;
            }

            case KLedHigh:
                if (kind != JsonTokenKind.True && kind != JsonTokenKind.False)
                {
                    return SettingsError.WrongType;
                }

                _statusLedActiveHigh = kind == JsonTokenKind.True;
                return SettingsError.None;

            case KTrace:
                if (kind != JsonTokenKind.True && kind != JsonTokenKind.False)
                {
                    return SettingsError.WrongType;
                }

                _traceMemory = kind == JsonTokenKind.True;
                return SettingsError.None;
        }

        if (kind != JsonTokenKind.Number)
        {
            return SettingsError.WrongType;
        }

        int v;
        if (!reader.TryGetInt32(out v))
        {
            // An integer beyond int32 is out of range; a fraction or exponent is the wrong type for a count.
            long wide;
            return reader.TryGetInt64(out wide) ? SettingsError.OutOfRange : SettingsError.WrongType;
        }

        switch (key)
        {
            case KLedPin:
                if (v < NoLed || v > MaxPin) return SettingsError.OutOfRange;
                _statusLedPin = v;
                return SettingsError.None;
            case KRx:
                if (v < MinMqttRxBufferSize || v > MaxMqttBufferSize) return SettingsError.OutOfRange;
                break;
            case KTx:
                if (v < MinMqttTxBufferSize || v > MaxMqttBufferSize) return SettingsError.OutOfRange;
                break;
            case KDownload:
                if (v < MinDownloadBufferSize || v > MaxDownloadBufferSize) return SettingsError.OutOfRange;
                break;
            case KWindow:
                if (v < MinJsonWindowSize || v > MaxJsonWindowSize) return SettingsError.OutOfRange;
                break;
            case KMaxConfig:
                if (v < MinConfigSize || v > MaxConfigSizeLimit) return SettingsError.OutOfRange;
                break;
            case KJitter:
                if (v < 0 || v > MaxDownloadJitterMs) return SettingsError.OutOfRange;
                break;
            case KDeadline:
                if (v < MinTrialDeadlineMs || v > MaxTrialDeadlineMs) return SettingsError.OutOfRange;
                break;
            case KBoots:
                if (v < 1 || v > MaxTrialBootsLimit) return SettingsError.OutOfRange;
                break;
            default:
                if (v < MqttClient.MinKeepAliveSeconds || v > MqttClient.MaxKeepAliveSeconds) return SettingsError.OutOfRange;
                break;
        }

        if (device != null)
        {
            Set(device, key, v);
        }

        return SettingsError.None;
    }

    // Where each tuning key lives: its one home in the device's settings.
    private static void Set(DeviceSettings device, int key, int v)
    {
        switch (key)
        {
            case KRx:
                device.MqttReceiveBufferSize = v;
                break;
            case KTx:
                device.MqttTransmitBufferSize = v;
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
    private SettingsError ReadName(JsonReader reader, bool board)
    {
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

        // The name in force is kept as bytes too, so reading it again makes no string.
        byte[] kept = board ? _boardName : _rootCaFileName;
        if (n == (board ? _boardNameLength : _rootCaFileNameLength) && Same(b, start, kept, n))
        {
            return SettingsError.None;
        }

        Array.Copy(b, start, kept, 0, n);
        if (board)
        {
            _board = Utf8.GetString(b, start, n);
            _boardNameLength = n;
        }
        else
        {
            _rootCaFile = Utf8.GetString(b, start, n);
            _rootCaFileNameLength = n;
        }

        return SettingsError.None;
    }

    private static int FindKey(JsonReader reader) => Find(reader, Keys);

    private static int Find(JsonReader reader, byte[][] table)
    {
        for (int i = 0; i < table.Length; i++)
        {
            if (reader.ValueEquals(table[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Same(byte[] b, int start, byte[] kept, int n)
    {
        for (int i = 0; i < n; i++)
        {
            if (b[start + i] != kept[i])
            {
                return false;
            }
        }

        return true;
    }

    // The unknown key as it was written, printable ASCII kept and anything else shown as '?', cut at 40 characters.
    private static string RawName(JsonReader reader)
    {
        byte[] b = reader.TokenBuffer;
        int start = reader.TokenIndex + 1;
        int n = reader.TokenLength - 2;
        if (n > 40)
        {
            n = 40;
        }

        char[] text = new char[n < 0 ? 0 : n];
        for (int i = 0; i < text.Length; i++)
        {
            int c = b[start + i];
            text[i] = c >= 0x20 && c < 0x7F ? (char)c : '?';
        }

        return new string(text);
    }

    private static byte[][] AsciiTable(string[] names)
    {
        byte[][] table = new byte[names.Length][];
        for (int i = 0; i < names.Length; i++)
        {
            table[i] = Utf8.GetBytes(names[i]);
        }

        return table;
    }

    private void SetDefaults()
    {
        _board = DefaultBoard;
        _boardNameLength = DefaultBoardBytes.Length;
        Array.Copy(DefaultBoardBytes, _boardName, _boardNameLength);
        _target = DefaultTarget;
        _statusLedPin = NoLed;
        _statusLedActiveHigh = true;
        _traceMemory = false;
        _mqttTransport = MqttTransport.Core;
        _rootCaFile = DefaultRootCaFile;
        _rootCaFileNameLength = DefaultRootCaFileBytes.Length;
        Array.Copy(DefaultRootCaFileBytes, _rootCaFileName, _rootCaFileNameLength);
        _error = SettingsError.None;
        _errorKey = null;
        _errorOffset = -1;
    }
}
