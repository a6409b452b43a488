namespace CotaFirmware.Host.Cloud.Broker;

/// <summary>Which topics a device may use: only its own <c>/sys/{pk}/{dn}/#</c>, <c>/ota/device/+/{pk}/{dn}</c>
/// and <c>/{pk}/{dn}/user/#</c>, for publishing and subscribing alike.</summary>
public static class TopicRights
{
    /// <summary>The topic spaces of a device, as MQTT filters.</summary>
    public static string[] SpacesOf(string productKey, string deviceName) => new[]
    {
        "/sys/" + productKey + "/" + deviceName + "/#",
        "/ota/device/+/" + productKey + "/" + deviceName,
        "/" + productKey + "/" + deviceName + "/user/#",
    };

    /// <summary>True when every topic <paramref name="topicOrFilter"/> can match lies in the device's own spaces
    /// (a publish topic is a filter without wildcards).</summary>
    public static bool Allows(string productKey, string deviceName, string topicOrFilter)
    {
        var filter = topicOrFilter.Split('/');
        foreach (var space in SpacesOf(productKey, deviceName))
        {
            if (Covers(space.Split('/'), filter))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when filter <paramref name="inner"/> matches nothing that <paramref name="outer"/> does not.</summary>
    private static bool Covers(string[] outer, string[] inner)
    {
        for (var i = 0; ; i++)
        {
            if (i < outer.Length && outer[i] == "#")
            {
                return true;
            }
            if (i == outer.Length || i == inner.Length)
            {
                return i == outer.Length && i == inner.Length;
            }
            var o = outer[i];
            var n = inner[i];
            if (n == "#" || (n == "+" && o != "+") || (o != "+" && o != n))
            {
                return false;
            }
        }
    }
}
