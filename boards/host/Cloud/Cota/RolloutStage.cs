namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>Where one device stands with one config, as the platform sees it.</summary>
public enum RolloutStage
{
    /// <summary>Pushed, or answered to the device's get; nothing downloaded yet.</summary>
    Offered,

    /// <summary>The file server is serving it to the device.</summary>
    Downloading,

    /// <summary>Every byte was served (sent into the connection: a device that died may not have them all); the device
    /// verifies, stores and applies it (its trial runs) until it reports.</summary>
    Trial,

    /// <summary>The device reported it applied and confirmed.</summary>
    Applied,

    /// <summary>The device refused it (module errors, broken JSON, a failed download).</summary>
    Rejected,

    /// <summary>The device undid it and runs the config before it again.</summary>
    RolledBack,
}
