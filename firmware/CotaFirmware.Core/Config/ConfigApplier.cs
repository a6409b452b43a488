using System;
using CotaFirmware.Crypto;
using CotaFirmware.Json;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Config;

/// <summary>Takes a verified config from the store to the modules: validate, persist on trial, apply, confirm or roll back, report.</summary>
/// <remarks>
/// <para>A new config (<see cref="ApplyCandidate"/>, once the COTA layer has sealed it in the store): the whole file is
/// parsed and each top-level section's raw bytes hashed (SHA-256, <see cref="JsonReader.HashValue"/>); an unknown key or
/// broken JSON rejects it. Modules whose section changed (hash, or present/absent, differs from the active config's)
/// validate it; one error rejects the config and nothing is applied. Otherwise the store commits it on trial, and the
/// changed modules take it in registration order by their policy; if any needs a reboot, the reboot-pending flag is
/// persisted and the device reboots, and the boot applies it.</para>
/// <para>The active config's section hashes are kept in RAM, not in flash: every <see cref="Boot"/> parses the active
/// config anyway to apply it, and every apply or rollback leaves the hashes of what it applied, so comparing costs no
/// extra read of the old config and no extra flash write.</para>
/// <para>Trial: a config stays on trial until the COTA layer calls <see cref="CloudConfirmed"/> (a get_reply after
/// connecting again); when the board's deadline passes first (<see cref="Step"/>), the store rolls back, the last good
/// config is re-applied (restart or reboot as its modules need) and the result is rolled_back. The store's boot count
/// catches a config that keeps the device rebooting. A confirmed config's result is applied.</para>
/// <para>RAM is fixed at construction: two reading windows and per-module hashes. Section readers stream from flash.</para>
/// </remarks>
public sealed class ConfigApplier
{
    private const string Area = "config";
    private const int DigestSize = Sha256.DigestLength;

    private readonly ConfigStore _store;
    private readonly ModuleRegistry _modules;
    private readonly IReboot _reboot;
    private readonly IConfigResultSink _sink;
    private readonly ILog _log;
    private readonly int _trialMs;
    private readonly Sha256 _sha = new Sha256();
    private readonly ConfigReader _scanReader = new ConfigReader();
    private readonly ConfigSectionSource _section = new ConfigSectionSource();
    private readonly JsonReader _scanJson;
    private readonly JsonReader _sectionJson;
    private readonly ConfigResult _result;
    private readonly byte[] _id = new byte[ConfigStore.MaxConfigIdLength];

    // What is applied now (active) and what the last scan found (next), per module index.
    private readonly byte[] _activeDigests;
    private readonly bool[] _activePresent;
    private readonly byte[] _nextDigests;
    private readonly bool[] _nextPresent;
    private readonly int[] _nextOffsets;
    private readonly int[] _nextLengths;

    private bool _trialRunning;
    private long _deadline;
    private bool _rebooting;

    /// <summary>Creates the applier; register every module before <see cref="Boot"/>.</summary>
    /// <param name="store">The config store (booted by <see cref="Boot"/>).</param>
    /// <param name="modules">The modules, in the order they are applied.</param>
    /// <param name="reboot">Restarts the device when a module needs it.</param>
    /// <param name="sink">Receives each config's result; may be null.</param>
    /// <param name="log">Where steps are logged; may be null.</param>
    /// <param name="scanWindow">The window the whole config is parsed through (the longest string a config may hold).</param>
    /// <param name="sectionWindow">The window modules read their section through.</param>
    /// <param name="trialDeadlineMs">How long a new config may stay on trial without <see cref="CloudConfirmed"/> (board setting).</param>
    /// <param name="maxErrors">How many errors a result keeps.</param>
    public ConfigApplier(ConfigStore store, ModuleRegistry modules, IReboot reboot, IConfigResultSink sink, ILog log,
        byte[] scanWindow, byte[] sectionWindow, int trialDeadlineMs, int maxErrors)
    {
        if (store == null || modules == null || reboot == null || scanWindow == null || sectionWindow == null)
        {
            throw new ArgumentNullException();
        }

        if (trialDeadlineMs < 1)
        {
            throw new ArgumentOutOfRangeException("trialDeadlineMs");
        }

        _store = store;
        _modules = modules;
        _reboot = reboot;
        _sink = sink;
        _log = log;
        _trialMs = trialDeadlineMs;
        _scanJson = new JsonReader(scanWindow);
        _sectionJson = new JsonReader(sectionWindow);
        _result = new ConfigResult(maxErrors);
        int capacity = modules.Capacity;
        _activeDigests = new byte[capacity * DigestSize];
        _activePresent = new bool[capacity];
        _nextDigests = new byte[capacity * DigestSize];
        _nextPresent = new bool[capacity];
        _nextOffsets = new int[capacity];
        _nextLengths = new int[capacity];
    }

    /// <summary>The last result reported (also when no sink is given).</summary>
    public ConfigResult LastResult
    {
        get { return _result; }
    }

    /// <summary>True while the active config waits for <see cref="CloudConfirmed"/>.</summary>
    public bool IsOnTrial
    {
        get { return _store.IsOnTrial; }
    }

    /// <summary>When the trial ends without confirmation (the clock of <see cref="Step"/>), while <see cref="IsOnTrial"/>.</summary>
    public long TrialDeadline
    {
        get { return _deadline; }
    }

    /// <summary>True once the applier asked for a reboot; it does nothing more until the next boot.</summary>
    public bool RebootRequested
    {
        get { return _rebooting; }
    }

    /// <summary>Boots the store, applies the active config to every module, and handles what the boot decided.</summary>
    /// <remarks>
    /// Call once per boot instead of <see cref="ConfigStore.Boot"/>. Every module gets its section (or its defaults), then
    /// the RestartModule ones are started. A config the boot rolled back (boot-loop guard) is reported rolled_back; a
    /// config on trial gets a fresh deadline from <paramref name="nowMs"/>.
    /// </remarks>
    /// <returns>The store's boot status.</returns>
    public ConfigStatus Boot(long nowMs)
    {
        _rebooting = false;
        _trialRunning = false;
        ConfigStatus status = _store.Boot();
        ConfigBootOutcome outcome = _store.BootOutcome;
        ScanActive();
        for (int i = 0; i < _modules.Count; i++)
        {
            ApplyOne(i);
        }

        for (int i = 0; i < _modules.Count; i++)
        {
            IConfigModule module = _modules.ModuleAt(i);
            if (module.Policy == ConfigApplyPolicy.RestartModule)
            {
                module.Start();
            }
        }

        KeepNextAsActive();
        if (outcome == ConfigBootOutcome.RolledBack)
        {
            int n = _store.CopyRejectedConfigId(_id, 0);
            if (n >= 0)
            {
                _result.Start(ConfigResultStatus.RolledBack, _id, 0, n);
                Log(LogLevel.Warning, "config " + _result.ConfigIdText() + " rolled back at boot: not confirmed within the boot limit");
                Report();
            }
            else
            {
                Log(LogLevel.Warning, "config on trial not counted (storage failed): last good config runs");
            }
        }
        else if (outcome == ConfigBootOutcome.OnTrial)
        {
            StartTrial(nowMs);
            Log(LogLevel.Info, "config on trial, boot " + _store.TrialBoots.ToString() + (_store.RebootWasPending ? " (after reboot)" : ""));
        }

        return status;
    }

    /// <summary>Validates the candidate sealed in the store, and if every module accepts it, commits it on trial and applies it.</summary>
    /// <remarks>
    /// A rejection is reported at once (status rejected, per-module errors; the candidate is dropped). An accepted config is
    /// reported applied only once confirmed (<see cref="CloudConfirmed"/>), or rolled_back. When a changed module needs a
    /// reboot, the device reboots instead of applying (the call returns on boards whose reboot returns).
    /// </remarks>
    /// <returns>True when the config was committed.</returns>
    public bool ApplyCandidate(long nowMs)
    {
        if (_rebooting)
        {
            return false;
        }

        int idLength = _store.CopyCandidateConfigId(_id, 0);
        if (idLength < 0 || _store.OpenCandidate(_scanReader) != ConfigStatus.Ok)
        {
            return false;
        }

        _result.Start(ConfigResultStatus.Rejected, _id, 0, idLength);
        bool parsed = Scan(true);
        if (parsed && _store.OpenCandidate(_section.Reader) == ConfigStatus.Ok)
        {
            for (int i = 0; i < _modules.Count; i++)
            {
                if (Changed(i) && _nextPresent[i])
                {
                    IConfigModule module = _modules.ModuleAt(i);
                    _result.SetModule(module.Name, 0, module.Name.Length);
                    OpenSection(i);
                    try
                    {
                        module.Validate(_sectionJson, _result);
                    }
                    catch (Exception)
                    {
                        _result.AddError(ConfigErrorCode.GeneralError);
                    }
                }
            }
        }

        if (_result.ErrorCount > 0 || _result.DroppedErrors > 0)
        {
            _store.Abort();
            Rejected();
            return false;
        }

        ConfigStatus committed = _store.Commit(true);
        if (committed != ConfigStatus.Ok)
        {
            _result.SetModule(null, 0, 0);
            _result.AddError(ConfigErrorCode.GeneralError);
            Log(LogLevel.Error, "config " + _result.ConfigIdText() + " not committed: store status " + ((int)committed).ToString());
            Rejected();
            return false;
        }

        Log(LogLevel.Info, "config " + _result.ConfigIdText() + " committed on trial");
        StartTrial(nowMs);
        ApplyChanges();
        return true;
    }

    /// <summary>The cloud answered a get after connecting again: the config on trial becomes the last known good one and is reported applied.</summary>
    /// <returns>True when a trial was confirmed now; false when none was on trial or the store failed (call again later).</returns>
    public bool CloudConfirmed()
    {
        if (_rebooting || !_store.IsOnTrial)
        {
            return false;
        }

        ConfigStatus status = _store.Confirm();
        if (status != ConfigStatus.Ok)
        {
            Log(LogLevel.Warning, "config confirm failed: store status " + ((int)status).ToString());
            return false;
        }

        _trialRunning = false;
        int n = _store.CopyActiveConfigId(_id, 0);
        _result.Start(ConfigResultStatus.Applied, _id, 0, n < 0 ? 0 : n);
        Log(LogLevel.Info, "config " + _result.ConfigIdText() + " applied and confirmed");
        Report();
        return true;
    }

    /// <summary>Advances the trial clock: past the deadline without confirmation, the trial is rolled back and the last good config re-applied.</summary>
    public void Step(long nowMs)
    {
        if (_rebooting || !_trialRunning || !_store.IsOnTrial || nowMs - _deadline < 0)
        {
            return;
        }

        _trialRunning = false;
        int n = _store.CopyActiveConfigId(_id, 0);
        _result.Start(ConfigResultStatus.RolledBack, _id, 0, n < 0 ? 0 : n);
        ConfigStatus status = _store.RollBack();
        if (status != ConfigStatus.Ok)
        {
            // The boot count rolls it back instead.
            Log(LogLevel.Error, "config " + _result.ConfigIdText() + " rollback not saved (store status " + ((int)status).ToString() + "): rebooting");
            _rebooting = true;
            _reboot.Reboot();
            return;
        }

        Log(LogLevel.Warning, "config " + _result.ConfigIdText() + " rolled back: not confirmed within " + _trialMs.ToString() + " ms");
        ScanActive();

        // Reported before any reboot: the boot after it finds a confirmed config and says nothing.
        Report();
        ApplyChanges();
    }

    private void StartTrial(long nowMs)
    {
        _trialRunning = true;
        _deadline = nowMs + _trialMs;
    }

    private void Rejected()
    {
        _result.SetStatus(ConfigResultStatus.Rejected);
        string first = "";
        if (_result.ErrorCount > 0)
        {
            first = " (first: " + _result.ErrorModule(0) + "." + _result.ErrorKey(0) + " " + ConfigResult.CodeName(_result.ErrorCode(0)) + ")";
        }

        if (_result.JsonError != JsonError.None)
        {
            first = " (broken JSON: " + ConfigResult.JsonErrorName(_result.JsonError) + " at byte " + _result.JsonErrorOffset.ToString() + ")";
        }

        Log(LogLevel.Warning, "config " + _result.ConfigIdText() + " rejected: " + (_result.ErrorCount + _result.DroppedErrors).ToString() + " errors" + first);
        Report();
    }

    private void Report()
    {
        if (_sink != null)
        {
            _sink.Report(_result);
        }
    }

    // Applies the modules whose section differs between what is active and what the last scan found; the store's
    // active config is the scanned one. A module that needs a reboot makes the boot apply everything instead.
    private void ApplyChanges()
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
            Log(LogLevel.Info, "config needs a reboot" + (marked == ConfigStatus.Ok ? "" : " (pending flag not saved)"));
            _rebooting = true;
            _reboot.Reboot();
            return;
        }

        for (int i = 0; i < _modules.Count; i++)
        {
            if (!Changed(i))
            {
                continue;
            }

            IConfigModule module = _modules.ModuleAt(i);
            if (module.Policy == ConfigApplyPolicy.RestartModule)
            {
                module.Stop();
                ApplyOne(i);
                module.Start();
            }
            else
            {
                ApplyOne(i);
            }
        }

        KeepNextAsActive();
    }

    // Gives module i its section of the scanned config (the store's active one), or its defaults.
    private void ApplyOne(int i)
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
        }
        catch (Exception)
        {
            Log(LogLevel.Error, "module " + Utf8.GetString(module.Name, 0, module.Name.Length) + " failed to apply its section");
        }
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
            Log(LogLevel.Error, "active config unreadable (" + ConfigResult.JsonErrorName(_scanJson.Error) + " at byte " + _scanJson.ErrorOffset.ToString() + "): modules take their defaults");
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
                _result.SetModule(null, 0, 0);
                _result.AddError(ConfigErrorCode.ValueFormatNotValid);
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
                    _result.SetModule(null, 0, 0);
                    _result.AddError(index < 0 ? ConfigErrorCode.KeyNotRecognized : ConfigErrorCode.ValueFormatNotValid, json);
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
            _result.SetModule(null, 0, 0);
            _result.SetJsonError(_scanJson.Error == JsonError.None ? JsonError.UnexpectedEnd : _scanJson.Error, _scanJson.ErrorOffset);
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
