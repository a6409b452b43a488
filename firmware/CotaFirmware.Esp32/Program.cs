using System;
using System.Device.Gpio;
using System.Net.NetworkInformation;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using CotaFirmware.Crypto;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Network;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>
/// The ESP32 application: brings Wi-Fi up, opens the LinkKit device and keeps it connected, with the flow of the
/// C SDK's COTA example (register the COTA callback, set the triple, choose the endpoint, set the dynamic
/// registration switch, Open, Connect, query the config on connect, then Yield forever).
/// </summary>
public static class Program
{
    private const int YieldMs = 200;
    private const int IdleMs = 50;
    private const int QueryTimeoutMs = 10000;
    private const int RetryOpenMs = 30000;
    private const int M2MqttQueueLength = 4;

    private static ILog _log;
    private static TickClock _clock;
    private static BoardSettings _board;
    private static DeviceProfile _profile;
    private static X509Certificate _rootCa;
    private static FlashStorage _storage;
    private static ManagedMac _mac;
    private static CotaEvents _cota;
    private static LinkkitDevice _device;
    private static long _nextOpenMs;

    /// <summary>The entry point nanoCLR runs after boot.</summary>
    public static void Main()
    {
        _log = new DebugLog(LogLevel.Info);
        _clock = new TickClock();
        JsonReader reader = new JsonReader(null);
        _board = new BoardSettings();
        BoardFiles.LoadBoard(_board, reader, _log);
        _profile = BoardFiles.LoadProfile(reader, _log);
        _rootCa = BoardFiles.LoadRootCa(_board, _log);
        _storage = new FlashStorage(FlashStorage.DefaultFolder);
        _mac = new ManagedMac();
        StatusLed led = new StatusLed(_board.StatusLedPin == BoardSettings.NoLed
            ? (IStatusLed)new NoStatusLed()
            : new GpioStatusLed(new GpioController(), _board.StatusLedPin, _board.StatusLedActiveHigh));
        if (_profile == null || _profile.WifiSsid == null)
        {
            _log.Write(LogLevel.Error, "app", "no device.json with wifiSsid: nothing to connect to");
            Thread.Sleep(Timeout.Infinite);
        }

        if (_rootCa == null)
        {
            // Never fall back to an unverified TLS connection.
            _log.Write(LogLevel.Error, "app", "no root CA: deploy " + _board.RootCaFile + " to I:\\");
            Thread.Sleep(Timeout.Infinite);
        }

        // 1. The COTA callback (IOT_RegisterCallback(ITE_COTA, ...)).
        _cota = CreateCota();

        WifiRadio radio = new WifiRadio("ntp.aliyun.com", "pool.ntp.org");
        WifiConnection wifi = new WifiConnection(radio, new WifiSettings(_profile.WifiSsid, _profile.WifiPassword ?? ""),
            new NetworkEvents(_log), led, _log, Seed());
        wifi.Start();
        while (true)
        {
            long now = _clock.MonotonicMs;
            wifi.Step(now);
            if (wifi.IsOnline && _device == null && now >= _nextOpenMs)
            {
                _device = OpenDevice();
                if (_device == null)
                {
                    _nextOpenMs = now + RetryOpenMs;
                }
            }

            if (_device != null && wifi.IsOnline)
            {
                // IOT_Linkkit_Yield: LinkKit reconnects on its own after a lost connection.
                _device.Yield(YieldMs);
            }
            else
            {
                Thread.Sleep(IdleMs);
            }
        }
    }

    private static LinkkitDevice OpenDevice()
    {
        // 2. The device triple.
        DeviceIdentity identity = new DeviceIdentity(_profile.ProductKey, _profile.DeviceName, _profile.DeviceSecret, _profile.ProductSecret);

        // 3. Region or custom domain, and the dynamic-registration switch.
        LinkkitOptions options = new LinkkitOptions();
        options.KeepAliveSeconds = _board.KeepAliveSeconds;
        options.TxBufferSize = _board.MqttTxBufferSize;
        if (_profile.MqttDomain != null)
        {
            options.MqttDomain = _profile.MqttDomain;
            options.HttpDomain = _profile.HttpDomain;
        }
        else
        {
            options.Region = RegionOf(_profile.Region);
        }

        if (_profile.DynamicRegistration)
        {
            DeviceRegistration registration = new DeviceRegistration(new WebRequestHttpClient(_rootCa, _clock), _storage, _mac, new Random(Seed()), _log);
            RegistrationResult result = registration.Obtain(identity, options);
            if (result != RegistrationResult.Given && result != RegistrationResult.Reused && result != RegistrationResult.Registered)
            {
                _log.Write(LogLevel.Error, "app", "dynamic registration failed (" + ((int)result).ToString() + ", code " + registration.LastCode.ToString() + ")");
                return null;
            }
        }

        // 4. IOT_Linkkit_Open, then IOT_Linkkit_Connect.
        LinkkitDevice device;
        try
        {
            device = LinkkitDevice.Open(identity, options, CreateSession(), _mac, _clock, _log);
        }
        catch (ArgumentException e)
        {
            _log.Write(LogLevel.Error, "app", e.Message);
            return null;
        }

        if (_cota.Attach(device) != LinkkitStatus.Ok)
        {
            _log.Write(LogLevel.Error, "app", "cannot route the COTA topics");
            return null;
        }

        device.Connected += OnConnected;
        int status = device.Connect();
        if (status != LinkkitStatus.Ok)
        {
            // Yield retries with a growing wait once the first connection was made; until then Open is retried.
            _log.Write(LogLevel.Warning, "app", "connect failed: " + LinkkitStatus.Name(status));
            device.Close();
            return null;
        }

        return device;
    }

    // 5. On every connection, ask for the config the device may have missed while offline.
    private static void OnConnected(LinkkitDevice device) => _cota.Query(device, QueryTimeoutMs);

    /// <summary>
    /// CONSTRUCTION POINT (COTA service): the core's COTA service replaces <see cref="CotaEvents"/> here, built with
    /// <c>new WebRequestHttpClient(_rootCa, _clock)</c>, <c>_storage</c> (ConfigStore), <c>new PowerReboot()</c> and the
    /// board's DownloadBufferSize, JsonWindowSize, MaxConfigSize, DownloadJitterMs, TrialDeadlineMs and MaxTrialBoots.
    /// </summary>
    private static CotaEvents CreateCota() => new CotaEvents(_log);

    /// <summary>The MQTT session the board's <c>mqttTransport</c> selects.</summary>
    private static IMqttSession CreateSession()
    {
        if (_board.MqttTransport == MqttTransport.Core)
        {
            // CONSTRUCTION POINT (core MQTT client): an IMqttSession over the core's MQTT client and
            // new TlsSocketChannel(_rootCa), with _board.MqttRxBufferSize / MqttTxBufferSize, goes here.
            _log.Write(LogLevel.Warning, "app", "the core MQTT client is not in this build: using M2Mqtt");
        }

        return new M2MqttSession(_rootCa, _board.MqttRxBufferSize, M2MqttQueueLength, _log);
    }

    private static CloudRegion RegionOf(string id)
    {
        if (id != null)
        {
            for (int r = (int)CloudRegion.Shanghai; r <= (int)CloudRegion.Germany; r++)
            {
                if (LinkkitEndpoint.RegionId((CloudRegion)r) == id)
                {
                    return (CloudRegion)r;
                }
            }

            _log.Write(LogLevel.Warning, "app", "unknown region " + id + ": using cn-shanghai");
        }

        return CloudRegion.Shanghai;
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
