using System;
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
/// persisted and <see cref="RebootRequested"/> is set, and the boot applies it.</para>
/// <para>Reboot: the applier only asks. The device's run loop (<c>App/CotaDevice</c>) sees <see cref="RebootRequested"/>
/// and calls the board's reboot, once; until the next <see cref="Boot"/> the applier does nothing more.</para>
/// <para>The active config's section hashes are kept in RAM (<see cref="ConfigSections"/>): every <see cref="Boot"/>
/// parses the active config anyway to apply it, and every apply or rollback leaves the hashes of what it applied.</para>
/// <para>Trial: the applier does not decide when a trial ends. The COTA layer, which proves contact with the cloud,
/// calls <see cref="Confirm"/>, or <see cref="RollBack"/> (the last good config is re-applied, restarting modules or
/// asking for a reboot as they need). The store's boot count catches a config that keeps the device rebooting. A module that throws
/// while taking a config is reported as <see cref="ConfigStatus.ModuleFailed"/> (named in <see cref="Errors"/>), so
/// that a config on trial can be rolled back.</para>
/// <para>RAM is fixed at construction: two reading windows and per-module hashes. Section readers stream from flash.</para>
/// </remarks>
public sealed class ConfigApplier
{
    private const string Area = "config";

    private readonly ConfigStore _store;
    private readonly ModuleRegistry _modules;
    private readonly ILog _log;
    private readonly ConfigReader _scanReader = new ConfigReader();
    private readonly ConfigReader _section = new ConfigReader();
    private readonly ConfigSections _sections;
    private readonly JsonReader _sectionJson;
    private readonly ConfigErrors _errors;
    private readonly byte[] _id = new byte[ConfigStore.MaxConfigIdLength];
    private int _idLength;
    private bool _rebooting;

    /// <summary>Creates the applier; register every module before <see cref="Boot"/>.</summary>
    /// <param name="store">The config store (booted by <see cref="Boot"/>).</param>
    /// <param name="modules">The modules, in the order they are applied.</param>
    /// <param name="log">Where steps are logged; may be null.</param>
    /// <param name="scanWindow">The window the whole config is parsed through (the longest string a config may hold).</param>
    /// <param name="sectionWindow">The window modules read their section through.</param>
    /// <param name="maxErrors">How many errors <see cref="Errors"/> keeps.</param>
    public ConfigApplier(ConfigStore store, ModuleRegistry modules, ILog log, byte[] scanWindow, byte[] sectionWindow, int maxErrors)
    {
        if (store == null || modules == null || scanWindow == null || sectionWindow == null)
        {
            throw new ArgumentNullException();
        }

        _store = store;
        _modules = modules;
        _log = log;
        _sections = new ConfigSections(modules, scanWindow);
        _sectionJson = new JsonReader(sectionWindow);
        _errors = new ConfigErrors(maxErrors);
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

    /// <summary>True once a config needs a reboot (or a rollback could not be saved): the device's run loop reboots the board; the applier does nothing more until the next boot.</summary>
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
    /// <returns>The store's boot status; <see cref="ConfigStatus.ModuleFailed"/> when a module threw taking a config on trial, or a read of it failed (roll it back).</returns>
    public ConfigStatus Boot()
    {
        _rebooting = false;
        _errors.Clear();
        ConfigStatus status = _store.Boot();
        ConfigStatus outcome = _store.BootOutcome;
        bool failed = !ScanActive();
        if (failed)
        {
            // A config not read is not applied: an error of no module, and a config on trial fails rather than being
            // tried on defaults, which contact would confirm.
            _errors.SetModule(null, 0, 0);
            _errors.AddError(ConfigErrorCode.GeneralError);
        }

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

        _sections.KeepScanAsActive();
        if (outcome == ConfigStatus.RolledBack)
        {
            int n = _store.CopyRejectedConfigId(_id, 0);
            Log(LogLevel.Warning, n >= 0
                ? "config " + Utf8.GetString(_id, 0, n) + " rolled back at boot: not confirmed within the boot limit"
                : "trial state not saved or not read (storage failed): the last good config runs");
        }
        else if (outcome == ConfigStatus.TrialInProgress)
        {
            Log(LogLevel.Info, "config on trial, boot " + _store.TrialBoots.ToString() + (_store.RebootWasPending ? " (after reboot)" : ""));
        }

        return failed && status == ConfigStatus.Ok && _store.IsOnTrial ? ConfigStatus.ModuleFailed : status;
    }

    /// <summary>Validates the candidate sealed in the store, and if every module accepts it, commits it on trial and applies it.</summary>
    /// <remarks>
    /// When a changed module needs a reboot, nothing is applied: <see cref="RebootRequested"/> is set and the boot applies
    /// it. A rejected candidate is dropped; nothing changes.
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

        bool parsed = _sections.Scan(_scanReader, _errors);
        int unread = _sections.ReadFailure;
        if (parsed && _store.OpenCandidate(_section) == ConfigStatus.Ok)
        {
            for (int i = 0; i < _modules.Count && unread == 0; i++)
            {
                if (_sections.Changed(i) && _sections.IsPresent(i))
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

                    unread = _sectionJson.SourceStatus;
                }
            }
        }

        if (unread != 0)
        {
            // A read of the slot failed: the config was not judged, so it is not refused (a refusal is final for it).
            _errors.Clear();
            _store.Abort();
            _store.NoteStorageError((StorageStatus)unread);
            Log(LogLevel.Error, "config " + IdText() + " not validated: a read of its slot failed (" + PlatformNames.Of((StorageStatus)unread) + ")");
            return ConfigStatus.StorageFailed;
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
    public ConfigStatus Confirm() => EndTrial(false);

    /// <summary>Rejects the config on trial: the store returns to the last good config and the modules whose section differs take it again.</summary>
    /// <remarks>A rollback the store cannot save asks for a reboot (the store's boot count then rolls the trial back); so
    /// does one whose last good config cannot be read (the boot applies it).</remarks>
    /// <returns><see cref="ConfigStatus.Ok"/> (also when a reboot re-applies it); <see cref="ConfigStatus.NotOnTrial"/>; or the store's failure.</returns>
    public ConfigStatus RollBack() => EndTrial(true);

    // Ends the trial in the store, confirmed or rolled back, and says so; a rollback re-applies the last good config.
    private ConfigStatus EndTrial(bool rollBack)
    {
        if (_rebooting)
        {
            return ConfigStatus.WrongStage;
        }

        _idLength = _store.CopyActiveConfigId(_id, 0);
        ConfigStatus status = rollBack ? _store.RollBack() : _store.Confirm();
        if (status == ConfigStatus.NotOnTrial)
        {
            return status;
        }

        if (!rollBack)
        {
            if (status == ConfigStatus.Ok)
            {
                Log(LogLevel.Info, "config " + IdText() + " confirmed: it is the last good config");
            }
            else
            {
                Log(LogLevel.Warning, "config " + IdText() + " not confirmed (" + ConfigNames.Of(status) + ")");
            }

            return status;
        }

        if (status != ConfigStatus.Ok)
        {
            // An unsaved rollback is finished by the store's boot count: reboot.
            _rebooting = true;
            Log(LogLevel.Error, "config " + IdText() + " rollback not saved (" + ConfigNames.Of(status) + "): rebooting");
            return status;
        }

        Log(LogLevel.Warning, "config " + IdText() + " rolled back: the last good config runs again");
        if (!ScanActive())
        {
            // The modules keep what they hold until the boot applies the last good config from flash.
            _rebooting = true;
            return status;
        }

        ApplyChanges();
        return status;
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
            if (_sections.Changed(i) && _modules.ModuleAt(i).Policy == ConfigApplyPolicy.RebootDevice)
            {
                reboot = true;
            }
        }

        if (reboot)
        {
            _sections.KeepScanAsActive();
            ConfigStatus marked = _store.MarkRebootPending();
            Log(LogLevel.Info, "config needs a reboot" + (marked == ConfigStatus.Ok ? "" : " (pending flag not saved: " + ConfigNames.Of(marked) + ")"));
            _rebooting = true;
            return ConfigStatus.Ok;
        }

        bool ok = true;
        for (int i = 0; i < _modules.Count; i++)
        {
            if (!_sections.Changed(i))
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

        _sections.KeepScanAsActive();
        return ok ? ConfigStatus.Ok : ConfigStatus.ModuleFailed;
    }

    // Gives module i its section of the scanned config (the store's active one), or its defaults; false when it threw.
    private bool ApplyOne(int i)
    {
        IConfigModule module = _modules.ModuleAt(i);
        try
        {
            if (_sections.IsPresent(i))
            {
                OpenSection(i);
                module.Apply(_sectionJson);
                if (_sectionJson.SourceStatus != 0)
                {
                    // The module took only part of its section, over its defaults: not the config, so not applied.
                    return Failed(module, "read its section (" + PlatformNames.Of((StorageStatus)_sectionJson.SourceStatus) + ")");
                }
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
        _section.Select(_sections.Offset(i), _sections.Length(i));
        _sectionJson.Begin(_section);
        _sectionJson.Read();
    }

    // Scans the active config (none: every module absent) and points the section reader at it. False when a read of
    // its slot failed: the config was not read, so its modules cannot be said to take it.
    private bool ScanActive()
    {
        if (_store.OpenActive(_scanReader) != ConfigStatus.Ok)
        {
            _sections.ClearScan();
            return true;
        }

        _store.OpenActive(_section);
        if (_sections.Scan(_scanReader, null))
        {
            return true;
        }

        _sections.ClearScan();
        int unread = _sections.ReadFailure;
        if (unread == 0)
        {
            Log(LogLevel.Error, "active config unreadable (" + ConfigNames.Of(_sections.Error) + " at byte " + _sections.ErrorOffset.ToString() + "): modules take their defaults");
            return true;
        }

        _store.NoteStorageError((StorageStatus)unread);
        Log(LogLevel.Error, "active config not read: a read of its slot failed (" + PlatformNames.Of((StorageStatus)unread) + ")");
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
