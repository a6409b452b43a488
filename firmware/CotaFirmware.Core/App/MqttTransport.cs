namespace CotaFirmware.App;

/// <summary>Which MQTT client a board runs LinkKit over.</summary>
public enum MqttTransport
{
    /// <summary>The core's MQTT 3.1.1 client over fixed buffers and an <see cref="CotaFirmware.Platform.IByteChannel"/>.</summary>
    Core,

    /// <summary>nanoFramework.M2Mqtt: threads of its own and a copy per message; for boards that already use it.</summary>
    M2Mqtt,
}
