using System;
using System.Device.Gpio;
using System.Net.NetworkInformation;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using CotaFirmware.App;
using CotaFirmware.Cota;
using CotaFirmware.Crypto;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Network;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>
/// The ESP32 application, with the flow of the C SDK's COTA example: register the COTA callback, set the triple,
/// choose the endpoint, set the dynamic-registration switch, Open and Connect, query the config on every connect,
/// then the Yield loop. The core's <see cref="CotaDevice"/> does the work (Wi-Fi, registration, connection, COTA, the
/// reboot); this file only fills it from the board.
/// </summary>
public static class Program
{
    private const int M2MqttQueueLength = 4;

    // A response head up to here is read (OSS answers a ranged GET with about 700 bytes of headers).
    private const int HttpHeadBufferSize = 1536;

    private static ILog _log;

    /// <summary>The entry point nanoCLR runs after boot.</summary>
    public static void Main()
    {
        _log = new SerialLog(LogLevel.Info);
        TickClock clock = new TickClock();
        JsonReader reader = new JsonReader(null);
        DeviceProfile profile = BoardFiles.LoadProfile(reader, _log);
        WifiRadio radio = WifiRadio.Open("ntp.aliyun.com", "pool.ntp.org", _log);
        if (profile == null || (radio != null && profile.WifiSsid == null))
        {
            _log.Write(LogLevel.Error, "app", "no device.json with wifiSsid: nothing to connect to");
            Thread.Sleep(Timeout.Infinite);
        }

        // 2. The device triple. 3. Region or custom domain. 4. The dynamic-registration switch: the device obtains (or
        // reuses the stored) DeviceSecret before its first Connect. Then board.json's sizes and times.
        var identity = new DeviceIdentity(profile.ProductKey, profile.DeviceName, profile.DeviceSecret, profile.ProductSecret);
        var settings = new DeviceSettings(identity)
        {
            Linkkit = Endpoint(profile),
            DynamicRegistration = profile.DynamicRegistration,
            DefaultWifiSsid = profile.WifiSsid ?? "",
            DefaultWifiPassword = profile.WifiPassword ?? "",
        };
        BoardSettings board = new BoardSettings();
        BoardFiles.LoadBoard(board, settings, reader, _log);
        X509Certificate rootCa = BoardFiles.LoadRootCa(board, _log);
        if (rootCa == null)
        {
            // Never fall back to an unverified TLS connection.
            _log.Write(LogLevel.Error, "app", "no root CA: deploy " + board.RootCaFile + " to I:\\");
            Thread.Sleep(Timeout.Infinite);
        }

        var seams = new DeviceBoard
        {
            Http = new ChannelHttpClient(new TlsSocketChannel(rootCa), clock, settings.Cota.MaxUrlLength, HttpHeadBufferSize),
            Storage = new FlashStorage(FlashStorage.DefaultFolder),
            Reboot = new PowerReboot(),
            Clock = clock,
            Log = _log,
            Mac = new ManagedMac(),
            Radio = radio,
            StatusLed = StatusLed(board),
            Seed = Seed(),

            // 1. The COTA callback (IOT_RegisterCallback(ITE_COTA, ...)).
            OfferListener = new CotaCallback(_log, board.TraceMemory),
            DownloadProgress = board.TraceMemory ? new DownloadProgress(MemoryTrace.OnChunk) : null,
        };

        if (board.MqttTransport == MqttTransport.M2Mqtt)
        {
            seams.Session = new M2MqttSession(rootCa, settings.Mqtt.ReceiveBufferSize, M2MqttQueueLength, _log);
        }
        else
        {
            seams.Channel = new TlsSocketChannel(rootCa);
        }

        // 5. IOT_Linkkit_Open; registration and Connect happen in the loop once Wi-Fi and the clock are up. device.json
        // is checked for length when it loads; the identity's and the endpoint's form are checked here.
        CotaDevice device = null;
        try
        {
            device = new CotaDevice(seams, settings);
        }
        catch (ArgumentException e)
        {
            // The message names the check that failed (BadProductKey, BadMqttDomain, ...), never a secret.
            _log.Write(LogLevel.Error, "app", "settings refused: " + e.Message);
            Thread.Sleep(Timeout.Infinite);
        }

        if (board.TraceMemory)
        {
            MemoryTrace.Start();
        }

        _log.Write(LogLevel.Info, "app", "heap " + nanoFramework.Runtime.Native.GC.Run(true).ToString() + " B free after start-up");

        // 6. Every (re)connect queries the config (thing.config.get). 7. The Yield loop, until a config needs a reboot:
        // the device then calls the board's reboot, which does not return. Out of memory that no seam turned into a
        // value (HTTP and storage do) is logged and the loop goes on: what is in flash stays consistent, and what the
        // failed step held is garbage now.
        while (true)
        {
            try
            {
                device.Run();
                return;
            }
            catch (OutOfMemoryException)
            {
                _log.Write(LogLevel.Error, "app", "out of memory (heap " + nanoFramework.Runtime.Native.GC.Run(true).ToString() + " B free after a collection): the loop goes on");
            }
            catch (Exception e)
            {
                // Main must not end: the runtime would then wait for a debugger, and the board has no watchdog. A restart
                // resumes from flash, and a config on trial has the boot counted, so one that keeps failing rolls back.
                _log.Write(LogLevel.Error, "app", e.GetType().FullName + " escaped the loop (" + e.Message + "): restarting");
                seams.Reboot.Reboot();
                return;
            }
        }
    }

    private static LinkkitSettings Endpoint(DeviceProfile profile)
    {
        var options = new LinkkitSettings();
        if (profile.MqttDomain != null)
        {
            options.MqttDomain = profile.MqttDomain;
            options.HttpDomain = profile.HttpDomain;
            if (profile.MqttPort > 0)
            {
                options.Port = profile.MqttPort;
            }
        }
        else
        {
            LinkkitEndpoint.TryRegionOf(profile.Region, out CloudRegion region); // DeviceProfile took only a known id
            options.Region = region;
        }

        return options;
    }

    // A board's LED where its GPIO can be opened; none where the runtime has no GPIO driver for it (nanoCLR's are stubs).
    private static IStatusLed StatusLed(BoardSettings board)
    {
        if (board.StatusLedPin == BoardSettings.NoLed)
        {
            return null;
        }

        try
        {
            return new GpioStatusLed(new GpioController(), board.StatusLedPin, board.StatusLedActiveHigh);
        }
        catch (Exception e)
        {
            _log.Write(LogLevel.Warning, "board", "status LED on GPIO " + board.StatusLedPin.ToString() + " not available (" + e.GetType().Name + "): running without it");
            return null;
        }
    }

    // Per device, so that a fleet's backoff and jitter differ: the Wi-Fi MAC mixed with the clock.
    private static int Seed()
    {
        int seed = (int)(DateTime.UtcNow.Ticks & 0x7FFFFFFF);
        try
        {
            NetworkInterface[] all = NetworkInterface.GetAllNetworkInterfaces();
            byte[] mac = all.Length > 0 ? all[0].PhysicalAddress : null;
            for (int i = 0; mac != null && i < mac.Length; i++)
            {
                seed = (seed * 31) + mac[i];
            }
        }
        catch (Exception)
        {
            // No interface yet: the clock alone.
        }

        return seed;
    }
}
