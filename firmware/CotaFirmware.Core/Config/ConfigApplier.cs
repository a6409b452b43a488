using System;
using CotaFirmware.Crypto;
using CotaFirmware.Json;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Config;

/// <summary>Takes a verified config from the store to the modules: validate, persist on trial, apply; confirm or roll back when told.</summary>
/// <remarks>
/// <para>A new config (<see cref="ApplyCandidate"/>, once the candidate is sealed in the store): the whole file is
/// parsed and each top-level section's raw bytes hashed (SHA-256, <see cref="JsonReader.HashValue"/>); an unknown key or
/// broken JSON rejects it. Modules whose section changed (hash, or present/absent, differs from the active config's)
/// validate it; one error rejects the config and nothing is applied. Otherwise the store commits it on trial, and the
/// changed modules take it in registration order by their policy; if any needs a reboot, the reboot-pending flag is
/// persisted and the device reboots, and the boot applies it.</para>
/// <para>The active config's section hashes are kept in RAM, not in flash: every <see cref="Boot"/> parses the active
/// config anyway to apply it, and every apply or rollback leaves the hashes of what it applied, so comparing costs no
/// extra read of the old config and no extra flash write.</para>
/// <para>Trial: the applier does not decide when a trial ends. The COTA layer, which proves contact with the cloud,
/// calls <see cref="Confirm"/>, or <see cref="RollBack"/> (the last good config is re-applied, restarting or rebooting
/// as its modules need). The store's boot count catches a config that keeps the device rebooting. A module that throws
/// while taking a config is reported as <see cref="ConfigStatus.ModuleFailed"/> (named in <see cref="Errors"/>), so
/// that a config on trial can be rolled back.</para>
/// <para>RAM is fixed at construction: two reading windows and per-module hashes. Section readers stream from flash.</para>
/// </remarks>
public sealed class ConfigApplier
{
    private const string Area = "config";
    private const int DigestSize = Sha256.DigestLength;

    private readonly ConfigStore _store;
    private readonly ModuleRegistry _modules;
    private readonly IReboot _reboot;
    private readonly ILog _log;
    private readonly Sha256 _sha = new Sha256();
    private readonly ConfigReader _scanReader = new ConfigReader();
    private readonly ConfigSectionSource _section = new ConfigSectionSource();
    private readonly JsonReader _scanJson;
    private readonly JsonReader _sectionJson;
    private readonly ConfigErrors _errors;
    private readonly byte[] _id = new byte[ConfigStore.MaxConfigIdLength];
    private int _idLength;

    // What is applied now (active) and what the last scan found (next), per module index.
    private readonly byte[] _activeDigests;
    private readonly bool[] _activePresent;
    private readonly byte[] _nextDigests;
    private readonly bool[] _nextPresent;
    private readonly int[] _nextOffsets;
    private readonly int[] _nextLengths;

    private bool _rebooting;

    /// <summary>Creates the applier; register every module before <see cref="Boot"/>.</summary>
    /// <param name="store">The config store (booted by <see cref="Boot"/>).</param>
    /// <param name="modules">The modules, in the order they are applied.</param>
    /// <param name="reboot">Restarts the device when a module needs it.</param>
    /// <param name="log">Where steps are logged; may be null.</param>
    /// <param name="scanWindow">The window the whole config is parsed through (the longest string a config may hold).</param>
    /// <param name="sectionWindow">The window modules read their section through.</param>
    /// <param name="maxErrors">How many errors <see cref="Errors"/> keeps.</param>
    public ConfigApplier(ConfigStore store, ModuleRegistry modules, IReboot reboot, ILog log,
        byte[] scanWindow, byte[] sectionWindow, int maxErrors)
    {
        if (store == null || modules == null || reboot == null || scanWindow == null || sectionWindow == null)
        {
            throw new ArgumentNullException();
        }

        _store = store;
        _modules = modules;
        _reboot = reboot;
        _log = log;
        _scanJson = new JsonReader(scanWindow);
        _sectionJson = new JsonReader(sectionWindow);
        _errors = new ConfigErrors(maxErrors);
        int capacity = modules.Capacity;
        _activeDigests = new byte[capacity * DigestSize];
        _activePresent = new bool[capacity];
        _nextDigests = new byte[capacity * DigestSize];
        _nextPresent = new bool[capacity];
        _nextOffsets = new int[capacity];
        _nextLengths = new int[capacity];
    }

    /// <summary>Why the last <see cref="ApplyCandidate"/> was <see cref="ConfigStatus.Rejected"/>, or which module failed (<see cref="ConfigStatus.ModuleFailed"/>).</summary>
    public ConfigErrors Errors
    {
        get { return _errors; }
    }

    /// <summary>True while the active config is on trial (committed, neither confirmed nor rolled back).</summary>
    public bool IsOnTrial
    {
        get { return _store.IsOnTrial; }
    }

    /// <summary>True once the applier asked for a reboot; it does nothing more until the next boot.</summary>
    public bool RebootRequested
    {
        get { return _rebooting; }
    }

    /// <summary>Boots the store and applies the active config to every module.</summary>
    /// <remarks>
    /// Call once per boot instead of <see cref="ConfigStore.Boot"/>. Every module gets its section (or its defaults), then
    /// the RestartModule ones are started. <see cref="ConfigStore.BootOutcome"/> tells what the boot decided (a config the
    /// boot-loop guard rolled back, a config on trial).
    /// </remarks>
    /// <returns>The store's boot status; <see cref="ConfigStatus.ModuleFailed"/> when a module threw taking a config on trial (roll it back).</returns>
    public ConfigStatus Boot()
    {
        _rebooting = false;
        _errors.Clear();
        ConfigStatus status = _store.Boot();
        ConfigBootOutcome outcome = _store.BootOutcome;
        ScanActive();
        bool failed = false;
        for (int i = 0; i < _modules.Count; i++)
        {
            failed |= !ApplyOne(i);
        }

        for (int i = 0; i < _modules.Count; i++)
        {
            IConfigModule module = _modules.ModuleAt(i);
            if (module.Policy == ConfigApplyPolicy.RestartModule)
            {
                failed |= !Run(module, true);
            }
        }

        KeepNextAsActive();
        if (outcome == ConfigBootOutcome.RolledBack)
        {
            int n = _store.CopyRejectedConfigId(_id, 0);
            Log(LogLevel.Warning, n >= 0
                ? "config " + Utf8.GetString(_id, 0, n) + " rolled back at boot: not confirmed within the boot limit"
                : "config on trial not counted (storage failed): last good config runs");
        }
        else if (outcome == ConfigBootOutcome.OnTrial)
        {
            Log(LogLevel.Info, "config on trial, boot " + _store.TrialBoots.ToString() + (_store.RebootWasPending ? " (after reboot)" : ""));
        }

        return failed && status == ConfigStatus.Ok && _store.IsOnTrial ? ConfigStatus.ModuleFailed : status;
    }

    /// <summary>Validates the candidate sealed in the store, and if every module accepts it, commits it on trial and applies it.</summary>
    /// <remarks>
    /// When a changed module needs a reboot, the device reboots instead of applying (the call returns on boards whose
    /// reboot returns, with <see cref="RebootRequested"/> set). A rejected candidate is dropped; nothing changes.
    /// </remarks>
    /// <returns><see cref="ConfigStatus.Ok"/> once committed on trial and applied (or the reboot asked for);
    /// <see cref="ConfigStatus.Rejected"/> (see <see cref="Errors"/>); <see cref="ConfigStatus.ModuleFailed"/> (committed on
    /// trial, a module threw: roll it back); or the store's status when nothing could be committed.</returns>
    public ConfigStatus ApplyCandidate()
    {
        if (_rebooting)
        {
            return ConfigStatus.WrongStage;
        }

        _errors.Clear();
        _idLength = _store.CopyCandidateConfigId(_id, 0);
        ConfigStatus opened = _store.OpenCandidate(_scanReader);
        if (_idLength < 0 || opened != ConfigStatus.Ok)
        {
            _idLength = 0;
            return opened == ConfigStatus.Ok ? ConfigStatus.WrongStage : opened;
        }

        bool parsed = Scan(true);
        if (parsed && _store.OpenCandidate(_section.Reader) == ConfigStatus.Ok)
        {
            for (int i = 0; i < _modules.Count; i++)
            {
                if (Changed(i) && _nextPresent[i])
                {
                    IConfigModule module = _modules.ModuleAt(i);
                    _errors.SetModule(module.Name, 0, module.Name.Length);
                    OpenSection(i);
                    try
                    {
                        module.Validate(_sectionJson, _errors);
                    }
                    catch (Exception)
                    {
                        _errors.AddError(ConfigErrorCode.GeneralError);
                    }
                }
            }
        }

        if (_errors.ErrorCount > 0 || _errors.DroppedErrors > 0)
        {
            _store.Abort();
            LogRejected();
            return ConfigStatus.Rejected;
        }

        ConfigStatus committed = _store.Commit(true);
        if (committed != ConfigStatus.Ok)
        {
            Log(LogLevel.Error, "config " + IdText() + " not committed: " + ConfigNames.Of(committed)
                + (committed == ConfigStatus.StorageFailed ? " (" + PlatformNames.Of(_store.LastStorageError) + ")" : ""));
            return committed;
        }

        Log(LogLevel.Info, "config " + IdText() + " committed on trial");
        return ApplyChanges();
    }

    /// <summary>Makes the config on trial the last known good one (the COTA layer proved contact with the cloud).</summary>
    /// <returns><see cref="ConfigStatus.Ok"/>; <see cref="ConfigStatus.NotOnTrial"/>; or the store's failure (try again later).</returns>
    public ConfigStatus Confirm()
    {
        if (_rebooting)
        {
            return ConfigStatus.WrongStage;
        }

        _idLength = _store.CopyActiveConfigId(_id, 0);
        ConfigStatus status = _store.Confirm();
        if (status == ConfigStatus.Ok)
        {
            Log(LogLevel.Info, "config " + IdText() + " confirmed: it is the last good config");
        }
        else if (status != ConfigStatus.NotOnTrial)
        {
            Log(LogLevel.Warning, "config " + IdText() + " not confirmed: " + ConfigNames.Of(status));
        }

        return status;
    }

    /// <summary>Rejects the config on trial: the store returns to the last good config and the modules whose section differs take it again.</summary>
    /// <remarks>A rollback the store cannot save reboots the device (its boot count then rolls the trial back).</remarks>
    /// <returns><see cref="ConfigStatus.Ok"/> (also when a reboot re-applies it); <see cref="ConfigStatus.NotOnTrial"/>; or the store's failure.</returns>
    public ConfigStatus RollBack()
    {
        if (_rebooting)
        {
            return ConfigStatus.WrongStage;
        }

        _idLength = _store.CopyActiveConfigId(_id, 0);
        ConfigStatus status = _store.RollBack();
        if (status == ConfigStatus.NotOnTrial)
        {
            return status;
        }

        if (status != ConfigStatus.Ok)
        {
            Log(LogLevel.Error, "config " + IdText() + " rollback not saved (" + ConfigNames.Of(status) + "): rebooting");
            _rebooting = true;
            _reboot.Reboot();
            return status;
        }

        Log(LogLevel.Warning, "config " + IdText() + " rolled back: the last good config runs again");
        ScanActive();
        ApplyChanges();
        return ConfigStatus.Ok;
    }

    private void LogRejected()
    {
        string first = "";
        if (_errors.ErrorCount > 0)
        {
            first = " (first: " + _errors.ErrorPath(0) + ": " + ConfigNames.Of(_errors.ErrorCode(0)) + ")";
        }

        if (_errors.JsonError != JsonError.None)
        {
            first = " (broken JSON: " + ConfigNames.Of(_errors.JsonError) + " at byte " + _errors.JsonErrorOffset.ToString() + ")";
        }

        Log(LogLevel.Warning, "config " + IdText() + " rejected: " + ConfigErrors.Count(_errors.ErrorCount + _errors.DroppedErrors) + first);
    }

    private string IdText()
    {
        return _idLength > 0 ? Utf8.GetString(_id, 0, _idLength) : "(none)";
    }

    // Applies the modules whose section differs between what is active and what the last scan found; the store's
    // active config is the scanned one. A module that needs a reboot makes the boot apply everything instead.
    private ConfigStatus ApplyChanges()
    {
        bool reboot = false;
        for (int i = 0; i < _modules.Count; i++)
        {
            if (Changed(i) && _modules.ModuleAt(i).Policy == ConfigApplyPolicy.RebootDevice)
            {
                reboot = true;
            }
        }

        if (reboot)
        {
            KeepNextAsActive();
            ConfigStatus marked = _store.MarkRebootPending();
            Log(LogLevel.Info, "config needs a reboot" + (marked == ConfigStatus.Ok ? "" : " (pending flag not saved: " + ConfigNames.Of(marked) + ")"));
            _rebooting = true;
            _reboot.Reboot();
            return ConfigStatus.Ok;
        }

        bool ok = true;
        for (int i = 0; i < _modules.Count; i++)
        {
            if (!Changed(i))
            {
                continue;
            }

            IConfigModule module = _modules.ModuleAt(i);
            if (module.Policy == ConfigApplyPolicy.RestartModule)
            {
                ok &= Run(module, false);
                ok &= ApplyOne(i);
                ok &= Run(module, true);
            }
            else
            {
                ok &= ApplyOne(i);
            }
        }

        KeepNextAsActive();
        return ok ? ConfigStatus.Ok : ConfigStatus.ModuleFailed;
    }

    // Gives module i its section of the scanned config (the store's active one), or its defaults; false when it threw.
    private bool ApplyOne(int i)
    {
        IConfigModule module = _modules.ModuleAt(i);
        try
        {
            if (_nextPresent[i])
            {
                OpenSection(i);
                module.Apply(_sectionJson);
            }
            else
            {
                module.ApplyDefaults();
            }

            return true;
        }
        catch (Exception)
        {
            return Failed(module, "apply its section");
        }
    }

    // Starts or stops a RestartModule module; false when it threw.
    private bool Run(IConfigModule module, bool start)
    {
        try
        {
            if (start)
            {
                module.Start();
            }
            else
            {
                module.Stop();
            }

            return true;
        }
        catch (Exception)
        {
            return Failed(module, start ? "start" : "stop");
        }
    }

    private bool Failed(IConfigModule module, string what)
    {
        _errors.SetModule(module.Name, 0, module.Name.Length);
        _errors.AddError(ConfigErrorCode.GeneralError);
        Log(LogLevel.Error, "module " + Utf8.GetString(module.Name, 0, module.Name.Length) + " failed to " + what);
        return false;
    }

    private void OpenSection(int i)
    {
        _section.Select(_nextOffsets[i], _nextLengths[i]);
        _sectionJson.Begin(_section);
        _sectionJson.Read();
    }

    private bool Changed(int i)
    {
        if (_nextPresent[i] != _activePresent[i])
        {
            return true;
        }

        if (!_nextPresent[i])
        {
            return false;
        }

        int at = i * DigestSize;
        for (int k = 0; k < DigestSize; k++)
        {
            if (_nextDigests[at + k] != _activeDigests[at + k])
            {
                return true;
            }
        }

        return false;
    }

    private void KeepNextAsActive()
    {
        Array.Copy(_nextDigests, _activeDigests, _nextDigests.Length);
        Array.Copy(_nextPresent, _activePresent, _nextPresent.Length);
    }

    // Scans the active config (none: every module absent) and points the section reader at it.
    private void ScanActive()
    {
        if (_store.OpenActive(_scanReader) != ConfigStatus.Ok)
        {
            Array.Clear(_nextPresent, 0, _nextPresent.Length);
            return;
        }

        _store.OpenActive(_section.Reader);
        if (!Scan(false))
        {
            Log(LogLevel.Error, "active config unreadable (" + ConfigNames.Of(_scanJson.Error) + " at byte " + _scanJson.ErrorOffset.ToString() + "): modules take their defaults");
            Array.Clear(_nextPresent, 0, _nextPresent.Length);
        }
    }

    // Parses the config _scanReader points at: each known section's place and hash into the next arrays. For a
    // candidate, unknown and repeated keys and a top level that is no object are errors in the result.
    private bool Scan(bool candidate)
    {
        Array.Clear(_nextPresent, 0, _nextPresent.Length);
        JsonReader json = _scanJson;
        json.Begin(_scanReader);
        if (!json.Read())
        {
            return JsonFailed(candidate);
        }

        if (json.TokenKind != JsonTokenKind.BeginObject)
        {
            if (candidate)
            {
                _errors.SetModule(null, 0, 0);
                _errors.AddError(ConfigErrorCode.ValueFormatNotValid);
            }

            return false;
        }

        while (true)
        {
            if (!json.Read())
            {
                return JsonFailed(candidate);
            }

            if (json.TokenKind == JsonTokenKind.EndObject)
            {
                break;
            }

            int index = _modules.IndexOf(json);
            if (index < 0 || _nextPresent[index])
            {
                if (candidate)
                {
                    _errors.SetModule(null, 0, 0);
                    _errors.AddError(index < 0 ? ConfigErrorCode.KeyNotRecognized : ConfigErrorCode.DuplicateKey, json);
                }

                if (!json.Skip())
                {
                    return JsonFailed(candidate);
                }

                continue;
            }

            if (!json.Read())
            {
                return JsonFailed(candidate);
            }

            int start = json.TokenOffset;
            _sha.Reset();
            if (!json.HashValue(_sha))
            {
                return JsonFailed(candidate);
            }

            _sha.Final(_nextDigests, index * DigestSize);
            _nextOffsets[index] = start;
            _nextLengths[index] = json.TokenOffset + json.TokenLength - start;
            _nextPresent[index] = true;
        }

        // Only whitespace may follow the object.
        if (json.Read() || json.Error != JsonError.None)
        {
            return JsonFailed(candidate);
        }

        return true;
    }

    private bool JsonFailed(bool candidate)
    {
        if (candidate)
        {
            _errors.SetModule(null, 0, 0);
            _errors.SetJsonError(_scanJson.Error == JsonError.None ? JsonError.UnexpectedEnd : _scanJson.Error, _scanJson.ErrorOffset);
        }

        return false;
    }

    private void Log(LogLevel level, string message)
    {
        if (_log != null)
        {
            _log.Write(level, Area, message);
        }
    }
}
