using CotaFirmware.Linkkit;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>
/// The COTA callback of the device (IOT_RegisterCallback(ITE_COTA, ...)): receives config pushes and the replies to
/// config queries, and logs them.
/// </summary>
/// <remarks>
/// CONSTRUCTION POINT (COTA service): the core's COTA service takes this class's place once it is in the core; it
/// parses the push, downloads and verifies the config, stores it and reports. <see cref="Program"/> creates this in
/// one place (<c>CreateCota</c>).
/// </remarks>
public sealed class CotaEvents : ITopicHandler, IReplyHandler
{
    /// <summary>The topic under /sys/{pk}/{dn}/ where the platform pushes configs.</summary>
    public const string PushSuffix = "thing/config/push";

    /// <summary>The topic under /sys/{pk}/{dn}/ where the device asks for the current config.</summary>
    public const string GetSuffix = "thing/config/get";

    /// <summary>The method of the config query.</summary>
    public const string GetMethod = "thing.config.get";

    private readonly ILog _log;
    private readonly ConfigGetParams _getParams = new ConfigGetParams();
    private int _getTopic = -1;

    /// <summary>Creates the callback; it logs through <paramref name="log"/>.</summary>
    public CotaEvents(ILog log)
    {
        _log = log;
    }

    /// <summary>Routes the push topic and defines the query on <paramref name="device"/> (before Connect).</summary>
    /// <returns><see cref="LinkkitStatus.Ok"/>, or the negative code of the route or request that failed.</returns>
    public int Attach(LinkkitDevice device)
    {
        int push = device.Route(PushSuffix, this);
        if (push < 0)
        {
            return push;
        }

        _getTopic = device.DefineRequest(GetSuffix, GetMethod, this);
        return _getTopic < 0 ? _getTopic : LinkkitStatus.Ok;
    }

    /// <summary>Asks the platform for the product's config (IOT_Linkkit_Query(ITM_MSG_REQUEST_COTA)), as after being offline.</summary>
    public int Query(LinkkitDevice device, int timeoutMs) => device.Query(_getTopic, _getParams, this, timeoutMs);

    /// <inheritdoc />
    public void OnTopicMessage(LinkkitDevice device, int topic, byte[] payload, int offset, int count)
    {
        _log.Write(LogLevel.Info, "cota", "config message of " + count.ToString() + " bytes");
    }

    /// <inheritdoc />
    public void OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, byte[] payload, int offset, int count)
    {
        if (status == ReplyStatus.Replied)
        {
            _log.Write(LogLevel.Info, "cota", "config query answered: code " + code.ToString() + ", " + count.ToString() + " bytes");
        }
        else
        {
            _log.Write(LogLevel.Warning, "cota", "config query ended without a reply: " + (status == ReplyStatus.TimedOut ? "timed out" : "disconnected"));
        }
    }
}
