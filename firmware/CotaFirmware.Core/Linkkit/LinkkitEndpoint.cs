using CotaFirmware.Platform;

namespace CotaFirmware.Linkkit;

/// <summary>Where a device connects and registers: region ids, the MQTT host and the registration URL.</summary>
public static class LinkkitEndpoint
{
    /// <summary>The path of the dynamic registration service.</summary>
    public const string RegistrationPath = "/auth/register/device";

    /// <summary>The platform's id of <paramref name="region"/>, for example <c>cn-shanghai</c>.</summary>
    public static string RegionId(CloudRegion region)
    {
        switch (region)
        {
            case CloudRegion.Shanghai: return "cn-shanghai";
            case CloudRegion.Singapore: return "ap-southeast-1";
            case CloudRegion.Japan: return "ap-northeast-1";
            case CloudRegion.UsWest: return "us-west-1";
            case CloudRegion.UsEast: return "us-east-1";
            case CloudRegion.Germany: return "eu-central-1";
            default: throw new System.ArgumentOutOfRangeException(nameof(region));
        }
    }

    /// <summary>The region whose <see cref="RegionId"/> is <paramref name="id"/>.</summary>
    /// <returns>False, and Shanghai, when no region has that id.</returns>
    public static bool TryRegionOf(string id, out CloudRegion region)
    {
        for (region = CloudRegion.Shanghai; region <= CloudRegion.Germany; region++)
        {
            if (RegionId(region) == id)
            {
                return true;
            }
        }

        region = CloudRegion.Shanghai;
        return false;
    }

    /// <summary>The MQTT host: the custom domain when set, else <c>{pk}.iot-as-mqtt.{region}.aliyuncs.com</c>.</summary>
    public static string MqttHost(string productKey, LinkkitSettings settings)
    {
        if (settings.MqttDomain != null)
        {
            return settings.MqttDomain;
        }

        return productKey + ".iot-as-mqtt." + RegionId(settings.Region) + ".aliyuncs.com";
    }

    /// <summary>The registration URL: <c>https://iot-auth.{region}.aliyuncs.com/auth/register/device</c>, or on the custom HTTP domain.</summary>
    public static string RegistrationUrl(LinkkitSettings settings)
    {
        string domain = settings.HttpDomain;
        if (domain == null)
        {
            return "https://iot-auth." + RegionId(settings.Region) + ".aliyuncs.com" + RegistrationPath;
        }

        return (HttpScheme.LengthOf(domain.ToCharArray()) > 0 ? domain : HttpScheme.Secure + domain) + RegistrationPath;
    }
}
