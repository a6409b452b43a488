namespace CotaFirmware.Cota;

/// <summary>Where a config offer came from: the cloud's push, or the answer to the device's get.</summary>
public enum ConfigMessageKind
{
    /// <summary><c>thing/config/push</c>: fields under <c>params</c>, acknowledged on <c>push_reply</c>.</summary>
    Push = 0,

    /// <summary><c>thing/config/get_reply</c>: fields under <c>data</c>, with a <c>code</c>.</summary>
    GetReply = 1,
}
