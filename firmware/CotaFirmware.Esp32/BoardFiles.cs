using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using CotaFirmware.Json;
using CotaFirmware.App;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>
/// The files <c>nanoff --filedeployment</c> puts on I:\: board.json, device.json and the root CA, read once at
/// start-up.
/// </summary>
/// <remarks>
/// They sit in the drive's root: nanoff writes each file to its path as given and is not known to create folders.
/// The firmware's own areas live in <see cref="FlashStorage.DefaultFolder"/>, which the app creates.
/// </remarks>
public static class BoardFiles
{
    /// <summary>The internal drive.</summary>
    public const string Drive = "I:\\";

    /// <summary>The board's settings; without it the compiled-in defaults apply.</summary>
    public const string BoardJson = Drive + "board.json";

    /// <summary>The device's provisioning (triple, endpoint, Wi-Fi); never in the repository.</summary>
    public const string DeviceJson = Drive + "device.json";

    /// <summary>The largest settings file read (board.json and device.json are a few hundred bytes).</summary>
    public const int MaxFileSize = 4096;

    /// <summary>Reads board.json into <paramref name="settings"/> and <paramref name="device"/>; a missing or refused file leaves the defaults and says why.</summary>
    public static void LoadBoard(BoardSettings settings, DeviceSettings device, JsonReader reader, ILog log)
    {
        byte[] json = ReadAll(BoardJson, 0, out string problem);
        if (json == null)
        {
            log.Write(LogLevel.Warning, "board", BoardJson + " " + problem + ": compiled-in defaults");
            return;
        }

        if (settings.Load(json, 0, json.Length, reader, device) != SettingsError.None)
        {
            log.Write(LogLevel.Error, "board", BoardJson + " refused (" + settings.DescribeError() + "): compiled-in defaults");
            return;
        }

        log.Write(LogLevel.Info, "board", settings.Board + " (" + settings.Target + "), MQTT over " + (settings.MqttTransport == MqttTransport.Core ? "the core client" : "M2Mqtt"));
    }

    /// <summary>Reads device.json.</summary>
    /// <returns>The profile, or null (logged) when the file is missing or refused.</returns>
    public static DeviceProfile LoadProfile(JsonReader reader, ILog log)
    {
        byte[] json = ReadAll(DeviceJson, 0, out string problem);
        if (json == null)
        {
            log.Write(LogLevel.Error, "board", DeviceJson + " " + problem + ": deploy it with nanoff --filedeployment");
            return null;
        }

        DeviceProfile profile = new DeviceProfile();
        SettingsError error = profile.Load(json, 0, json.Length, reader);
        Array.Clear(json, 0, json.Length);
        if (error != SettingsError.None)
        {
            log.Write(LogLevel.Error, "board", DeviceJson + " refused: " + profile.DescribeError());
            return null;
        }

        return profile;
    }

    /// <summary>Reads the root CA named by the board settings.</summary>
    /// <returns>The certificate, or null (logged) when it is missing or unreadable: TLS then cannot start.</returns>
    public static X509Certificate LoadRootCa(BoardSettings settings, ILog log)
    {
        string path = Drive + settings.RootCaFile;

        // nanoFramework's X509Certificate takes PEM bytes only with a terminating NUL (Mbed TLS parses a C string).
        byte[] pem = ReadAll(path, 1, out string problem);
        if (pem == null)
        {
            log.Write(LogLevel.Error, "board", path + " " + problem + ": TLS cannot verify the server");
            return null;
        }

        try
        {
            X509Certificate ca = new X509Certificate(pem);
            DateTime expires = ca.GetExpirationDate();
            log.Write(LogLevel.Info, "board", "root CA " + ca.Subject + ", valid to " + expires.ToString("yyyy-MM-dd"));
            if (DateTime.UtcNow.Year >= 2024 && DateTime.UtcNow > expires)
            {
                log.Write(LogLevel.Error, "board", "the root CA has expired: deploy a current one");
            }

            return ca;
        }
        catch (Exception)
        {
            log.Write(LogLevel.Error, "board", path + " is not a PEM certificate");
            return null;
        }
    }

    // The file's bytes followed by spare zero bytes; or null, and what is wrong with the file for the log line.
    private static byte[] ReadAll(string path, int spare, out string problem)
    {
        problem = "unreadable";
        try
        {
            if (!File.Exists(path))
            {
                problem = "not found";
                return null;
            }

            using (FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                long length = file.Length;
                if (length <= 0 || length > MaxFileSize)
                {
                    problem = length <= 0 ? "empty" : "larger than " + MaxFileSize.ToString() + " bytes";
                    return null;
                }

                byte[] bytes = new byte[(int)length + spare];
                int done = 0;
                while (done < length)
                {
                    int n = file.Read(bytes, done, (int)length - done);
                    if (n <= 0)
                    {
                        return null;
                    }

                    done += n;
                }

                return bytes;
            }
        }
        catch (Exception)
        {
            return null;
        }
    }
}
