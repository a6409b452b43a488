using CotaFirmware.Cota;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Platform;

namespace CotaFirmware.App;

/// <summary>The seams one board provides to the firmware: network, HTTP, flash, reboot, time, log, HMAC, optionally Wi-Fi and a status LED, and the application's callbacks.</summary>
/// <remarks>A board fills every required member before it builds a <see cref="CotaDevice"/>; the device owns none of them.
/// Plain fields: the device would pay for an accessor pair per seam and do nothing with it.</remarks>
public sealed class DeviceBoard
{
    /// <summary>The byte channel the core MQTT client runs over (TCP or TLS); not needed when <see cref="Session"/> is set.</summary>
    public IByteChannel Channel;

    /// <summary>An MQTT session of the board's own (for example over nanoFramework's M2Mqtt), or null to run the core MQTT client over <see cref="Channel"/>.</summary>
    public IMqttSession Session;

    /// <summary>Where the MQTT broker is now, read before every connection attempt; null when the settings' endpoint never moves.</summary>
    public IBrokerEndpoint BrokerEndpoint;

    /// <summary>HTTP(S) for config downloads (and dynamic registration).</summary>
    public IHttpClient Http;

    /// <summary>The flash: config slots, trial state, download staging and progress.</summary>
    public IStorage Storage;

    /// <summary>Restarts the firmware when a config needs it; called once, by the device's loop.</summary>
    public IReboot Reboot;

    /// <summary>Monotonic and wall-clock time.</summary>
    public IClock Clock;

    /// <summary>Where log lines go.</summary>
    public ILog Log;

    /// <summary>HMAC for connection signing (the core's managed one, or a native one).</summary>
    public IMac Mac;

    /// <summary>The Wi-Fi station, or null when the board's network is up by other means (the host).</summary>
    public IRadio Radio;

    /// <summary>The status LED, or null when the board has none.</summary>
    public IStatusLed StatusLed;

    /// <summary>Entropy for the jitters (download start, reconnect, Wi-Fi backoff); differ it per device, for example from the MAC address.</summary>
    public int Seed;

    /// <summary>The application's telemetry: the properties posted (thing.event.property.post) while connected, at connect
    /// and then every <c>telemetry.intervalSeconds</c> of the config; null posts none. Names must be in the product's thing model.</summary>
    public IJsonMembers Telemetry;

    /// <summary>The application's COTA callback (the C SDK's <c>ITE_COTA</c>): told of every valid config offer before the device takes it; may be null.</summary>
    public IConfigOfferListener OfferListener;

    /// <summary>Told after each downloaded piece of a config, with the bytes received and the total; may be null.</summary>
    public DownloadProgress DownloadProgress;
}
