using CotaFirmware.Config;
using CotaFirmware.Json;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.App;

/// <summary>Wraps a config module so each of its steps (validate, apply, defaults, stop, start) is one log line.</summary>
public sealed class LoggedModule : IConfigModule
{
    private readonly IConfigModule _inner;
    private readonly ILog _log;
    private readonly string _label;

    /// <summary>Wraps <paramref name="inner"/>, logging to <paramref name="log"/>.</summary>
    public LoggedModule(IConfigModule inner, ILog log)
    {
        if (inner == null || log == null)
        {
            throw new System.ArgumentNullException();
        }

        _inner = inner;
        _log = log;
        _label = "module " + Utf8.GetString(inner.Name, 0, inner.Name.Length) + " (" + ConfigNames.Of(inner.Policy) + ")";
    }

    /// <inheritdoc/>
    public byte[] Name => _inner.Name;

    /// <inheritdoc/>
    public ConfigApplyPolicy Policy => _inner.Policy;

    /// <inheritdoc/>
    public void Validate(JsonReader section, ConfigErrors errors)
    {
        int before = errors.ErrorCount + errors.DroppedErrors;
        _inner.Validate(section, errors);
        int found = errors.ErrorCount + errors.DroppedErrors - before;
        _log.Write(found == 0 ? LogLevel.Info : LogLevel.Warning, "config", _label + ": " + (found == 0 ? "section valid" : ConfigErrors.Count(found)));
    }

    /// <inheritdoc/>
    public void Apply(JsonReader section)
    {
        _inner.Apply(section);
        _log.Write(LogLevel.Info, "config", _label + ": section applied");
    }

    /// <inheritdoc/>
    public void ApplyDefaults()
    {
        _inner.ApplyDefaults();
        _log.Write(LogLevel.Info, "config", _label + ": defaults applied");
    }

    /// <inheritdoc/>
    public void Stop()
    {
        _inner.Stop();
        _log.Write(LogLevel.Info, "config", _label + ": stopped");
    }

    /// <inheritdoc/>
    public void Start()
    {
        _inner.Start();
        _log.Write(LogLevel.Info, "config", _label + ": started");
    }
}
