using CotaFirmware.App;
using CotaFirmware.Json;
using CotaFirmware.Platform;

namespace CotaFirmware.Host.Cli;

/// <summary>The host board's definition, <c>boards/host/board.json</c> (copied beside the program), read with the
/// core's <see cref="BoardSettings"/> as the ESP32 app reads its own: buffers, config size limit, trial deadline and
/// boots, keep-alive, download jitter.</summary>
public static class HostBoard
{
    /// <summary>The file's name beside the program.</summary>
    public const string FileName = "board.json";

    static readonly Lazy<BoardSettings> Shipped = new(() => Load(Path.Combine(AppContext.BaseDirectory, FileName)));

    /// <summary>The board.json shipped beside the program.</summary>
    /// <exception cref="UsageException">It is missing or refused (the message names the key or the byte).</exception>
    public static BoardSettings Settings => Shipped.Value;

    /// <summary>Reads a board.json.</summary>
    /// <exception cref="UsageException">It is missing or refused.</exception>
    public static BoardSettings Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException("the host board's " + FileName + " is missing at " + path + " (it ships with cota-host: rebuild or reinstall)");
        }

        byte[] json = File.ReadAllBytes(path);
        var board = new BoardSettings();
        if (board.Load(json, 0, json.Length, new JsonReader(null)) != SettingsError.None)
        {
            throw new UsageException(path + " refused: " + board.DescribeError());
        }

        return board;
    }

    /// <summary>Sets what the board decides on <paramref name="settings"/>, as the ESP32 app does from its board.json.</summary>
    public static DeviceSettings Apply(BoardSettings board, DeviceSettings settings)
    {
        settings.MqttReceiveBufferSize = board.MqttRxBufferSize;
        settings.MqttTransmitBufferSize = board.MqttTxBufferSize;
        settings.Linkkit.TxBufferSize = board.MqttTxBufferSize;
        settings.Linkkit.KeepAliveSeconds = board.KeepAliveSeconds;
        settings.MaxConfigSize = board.MaxConfigSize;
        settings.TrialDeadlineMs = board.TrialDeadlineMs;
        settings.MaxTrialBoots = board.MaxTrialBoots;
        settings.ConfigWindowSize = board.JsonWindowSize;
        settings.Download.BufferSize = board.DownloadBufferSize;
        return settings;
    }
}
