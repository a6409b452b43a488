using CotaFirmware.Linkkit;
using CotaFirmware.Platform;
using CotaFirmware.Timing;

namespace CotaFirmware.App;

/// <summary>Dynamic registration in the device's run: obtains the DeviceSecret once the network is up and before the first connect, retrying with backoff.</summary>
/// <remarks>
/// <see cref="CotaDevice"/> builds it when <see cref="DeviceSettings.DynamicRegistration"/> is on and asks it before it
/// connects. An attempt reuses the secret stored by an earlier boot, or registers over the board's HTTP client
/// (<see cref="DeviceRegistration"/>). A failed attempt is logged with its result and the platform's code, never a
/// secret, and the next one waits <see cref="Backoff"/> from 5 s up to 5 min: the platform may be unreachable for long,
/// and each registration before activation issues a new secret, so a fleet must not hammer it.
/// </remarks>
internal sealed class BootRegistration
{
    private const int RetryMinMs = 5000;
    private const int RetryMaxMs = 300000;

    private readonly DeviceIdentity _identity;
    private readonly LinkkitSettings _settings;
    private readonly DeviceRegistration _registration;
    private readonly Backoff _backoff;
    private readonly ILog _log;
    private int _failures;
    private long _nextAttemptMs;

    internal BootRegistration(DeviceIdentity identity, LinkkitSettings settings, DeviceBoard board)
    {
        _identity = identity;
        _settings = settings;
        _registration = new DeviceRegistration(board.Http, board.Storage, board.Mac, new System.Random(board.Seed), board.Log);
        _backoff = new Backoff(RetryMinMs, RetryMaxMs, board.Seed);
        _log = board.Log;
    }

    /// <summary>Makes one attempt unless the last failure's wait is still running.</summary>
    /// <returns>True once the identity holds a DeviceSecret (given, stored or issued): the device may connect.</returns>
    internal bool TryNow(long nowMs)
    {
        if (_identity.DeviceSecret != null)
        {
            return true;
        }

        if (_failures > 0 && nowMs - _nextAttemptMs < 0)
        {
            return false;
        }

        RegistrationResult result = _registration.Obtain(_identity, _settings);
        if (_identity.DeviceSecret != null)
        {
            return true;
        }

        int wait = _backoff.DelayMs(++_failures);
        _nextAttemptMs = nowMs + wait;
        _log.Write(LogLevel.Error, "app", "dynamic registration failed (" + ((int)result).ToString() + ", code " + _registration.LastCode.ToString()
            + "); retry in " + wait.ToString() + " ms");
        return false;
    }
}
