namespace CotaFirmware.Linkkit;

/// <summary>The Alibaba Cloud IoT Platform regions with a public LinkKit endpoint (the C SDK's region table).</summary>
/// <remarks>Other sites and newer instances use <see cref="LinkkitSettings.MqttDomain"/> and <see cref="LinkkitSettings.HttpDomain"/>.</remarks>
public enum CloudRegion
{
    /// <summary>China (Shanghai), <c>cn-shanghai</c>.</summary>
    Shanghai,

    /// <summary>Singapore, <c>ap-southeast-1</c>.</summary>
    Singapore,

    /// <summary>Japan (Tokyo), <c>ap-northeast-1</c>.</summary>
    Japan,

    /// <summary>US (Silicon Valley), <c>us-west-1</c>.</summary>
    UsWest,

    /// <summary>US (Virginia), <c>us-east-1</c>.</summary>
    UsEast,

    /// <summary>Germany (Frankfurt), <c>eu-central-1</c>.</summary>
    Germany,
}
