using CotaFirmware.App;
using CotaFirmware.Json;

namespace CotaFirmware.Host.Cli;

/// <summary>The host board's definition, <c>boards/host/board.json</c> (copied beside the program), read with the
/// core's <see cref="BoardSettings"/> as the ESP32 app reads its own: buffers, config size limit, trial deadline and
/// boots, keep-alive, download jitter.</summary>
public static class HostBoard
{
    /// <summary>The file's name beside the program.</summary>
    public const string FileName = "board.json";

    /// <summary>Sets what the board.json shipped beside the program decides on <paramref name="settings"/>.</summary>
    /// <exception cref="UsageException">It is missing or refused (the message names the key or the byte).</exception>
    public static DeviceSettings Apply(DeviceSettings settings)
    {
        Load(Path.Combine(AppContext.BaseDirectory, FileName), settings);
        return settings;
    }

    /// <summary>Reads a board.json: keeps the board's own values, and sets the sizes and times it decides on
    /// <paramref name="settings"/> once the whole file checked out.</summary>
    /// <exception cref="UsageException">It is missing or refused; <paramref name="settings"/> is then untouched.</exception>
    public static BoardSettings Load(string path, DeviceSettings settings)
    {
        if (!File.Exists(path))
        {
            throw new UsageException("the host board's " + FileName + " is missing at " + path + " (it ships with cota-host: rebuild or reinstall)");
        }

        byte[] json = File.ReadAllBytes(path);
        var board = new BoardSettings();
        if (board.Load(json, 0, json.Length, new JsonReader(null), settings) != SettingsError.None)
        {
            throw new UsageException(path + " refused: " + board.DescribeError());
        }

        return board;
    }
}
