using System;
using CotaFirmware.Crypto;
using CotaFirmware.Platform;

namespace CotaFirmware.Config;

/// <summary>The power-loss-safe A/B config store, with trial, confirm and rollback of a new config.</summary>
/// <remarks>
/// <para>Invariant: whenever power fails, the next <see cref="Boot"/> finds exactly the last config whose commit
/// returned, or the one being committed, never a mix, and the active slot is never written.</para>
/// <para>Each slot is a storage area: a <see cref="HeaderSize"/>-byte header, then the content. A new config goes
/// to the inactive slot: its old header is first replaced by a staging header (no boot takes it for a config, and it
/// lets <see cref="Resume"/> continue after a reboot), the content streamed in, read back and checked
/// against its SHA-256, and only then the header (magic, version, sequence, config id, length, SHA-256, CRC32 of the
/// header) is written, last. Every multi-byte field is little-endian, the CRC32 (<see cref="Crc32"/>, IEEE as in
/// zlib) included: bytes 124..127 hold <c>Crc32.Compute(header, 0, 124)</c>, least significant byte first.
/// At boot every slot's header is checked (magic, CRC32, length) and the valid slot with
/// the highest sequence wins once its content matches its SHA-256 (the other slot is hashed only when it may run);
/// a torn or corrupt slot is ignored.</para>
/// <para>A commit on trial first records the new sequence in the trial state (<see cref="TrialState"/>), then writes
/// the header. Until <see cref="Confirm"/>, the other slot stays the last known good one, no new config may be
/// staged, and every <see cref="Boot"/> counts; after the board's limit of boots the boot rolls back by itself.
/// A rollback records the trial's sequence as rejected, so that slot is never active again.</para>
/// <para>Flow for an applier: <see cref="Begin"/>, <see cref="Append"/> in chunks, <see cref="Seal"/> (verifies),
/// <see cref="OpenCandidate"/> to validate, <see cref="Commit"/> on trial, apply, then <see cref="Confirm"/> or
/// <see cref="RollBack"/>. Nothing allocates after construction.</para>
/// <para>The files: this one decides which config runs (boot, trial, confirm, rollback); ConfigStore.Staging.cs
/// writes a new config into the inactive slot; ConfigStore.Slots.cs reads the slots as storage holds them.</para>
/// </remarks>
public sealed partial class ConfigStore
{
    private readonly IStorage _storage;
    private readonly HashFunction _sha256;
    private readonly byte[] _work;
    private readonly int _maxLength;
    private readonly int _maxTrialBoots;
    private readonly TrialState _state = new TrialState();

    private bool _booted;
    private int _active = ConfigSlot.None;
    private int _lastGood = ConfigSlot.None;
    private bool _onTrial;
    private int _rejected = ConfigSlot.None;
    private bool _rebootWasPending;
    private ConfigStatus _bootOutcome;
    private StorageStatus _lastStorageError;

    /// <summary>Creates a store over <paramref name="storage"/> that hashes with its own <see cref="Sha256"/>; call <see cref="Boot"/> before anything else.</summary>
    /// <param name="storage">The board's storage; the store uses the areas named in <see cref="ConfigSlot"/>.</param>
    /// <param name="workBuffer">The caller's buffer for read-back checks; at least <see cref="HeaderSize"/> bytes; larger reads faster.</param>
    /// <param name="maxConfigLength">The board's largest config in bytes.</param>
    /// <param name="maxTrialBoots">How many boots a config on trial may start before a boot rolls it back (at least 1).</param>
    public ConfigStore(IStorage storage, byte[] workBuffer, int maxConfigLength, int maxTrialBoots)
        : this(storage, new Sha256(), workBuffer, maxConfigLength, maxTrialBoots)
    {
    }

    /// <summary>Creates a store over <paramref name="storage"/> that hashes content with <paramref name="sha256"/> (for a board with native SHA-256); call <see cref="Boot"/> before anything else.</summary>
    /// <param name="storage">The board's storage; the store uses the areas named in <see cref="ConfigSlot"/>.</param>
    /// <param name="sha256">SHA-256, for the content digest (32-byte digest); used by the store alone.</param>
    /// <param name="workBuffer">The caller's buffer for read-back checks; at least <see cref="HeaderSize"/> bytes; larger reads faster.</param>
    /// <param name="maxConfigLength">The board's largest config in bytes.</param>
    /// <param name="maxTrialBoots">How many boots a config on trial may start before a boot rolls it back (at least 1).</param>
    public ConfigStore(IStorage storage, HashFunction sha256, byte[] workBuffer, int maxConfigLength, int maxTrialBoots)
    {
        if (storage == null || sha256 == null || workBuffer == null)
        {
            throw new ArgumentNullException();
        }

        if (sha256.HashSize != DigestSize || workBuffer.Length < HeaderSize || maxConfigLength < 0 || maxTrialBoots < 1)
        {
            throw new ArgumentException();
        }

        _storage = storage;
        _sha256 = sha256;
        _work = workBuffer;
        _maxLength = maxConfigLength;
        _maxTrialBoots = maxTrialBoots;
    }

    /// <summary>The active slot (<see cref="ConfigSlot.A"/> or <see cref="ConfigSlot.B"/>), or <see cref="ConfigSlot.None"/>.</summary>
    public int ActiveSlot
    {
        get { return _active; }
    }

    /// <summary>The last known good slot: the active one when it is confirmed, the other one during a trial, or <see cref="ConfigSlot.None"/>.</summary>
    public int LastGoodSlot
    {
        get { return _lastGood; }
    }

    /// <summary>True while the active config is on trial (committed, not yet confirmed).</summary>
    public bool IsOnTrial
    {
        get { return _onTrial; }
    }

    /// <summary>How many boots the config on trial has started (0 when none is on trial).</summary>
    public int TrialBoots
    {
        get { return _onTrial ? _state.TrialBoots : 0; }
    }

    /// <summary>What the last <see cref="Boot"/> decided about the config to run.</summary>
    /// <remarks>
    /// <see cref="ConfigStatus.NoConfig"/>: none is stored, the board's defaults run. <see cref="ConfigStatus.Ok"/>: the
    /// active config is confirmed (last known good). <see cref="ConfigStatus.TrialInProgress"/>: it is on trial and this
    /// boot was counted. <see cref="ConfigStatus.RolledBack"/>: the trial used up its boots, or the trial state could not be
    /// saved or read, and the last good config runs.
    /// </remarks>
    public ConfigStatus BootOutcome
    {
        get { return _bootOutcome; }
    }

    /// <summary>True when the last <see cref="Boot"/> consumed a reboot requested with <see cref="MarkRebootPending"/>.</summary>
    public bool RebootWasPending
    {
        get { return _rebootWasPending; }
    }

    /// <summary>The active config's length in bytes, or -1 when none is active.</summary>
    public int ActiveLength
    {
        get { return _active < 0 ? -1 : _length[_active]; }
    }

    /// <summary>The active config's sequence number (grows with every commit), or 0 when none is active.</summary>
    public uint ActiveSequence
    {
        get { return _active < 0 ? 0 : _sequence[_active]; }
    }

    /// <summary>The largest config the store takes, in bytes (the board's limit).</summary>
    public int MaxConfigLength
    {
        get { return _maxLength; }
    }

    /// <summary>True when the last <see cref="Boot"/> or <see cref="Inspect"/> found a slot or the trial state written by a newer firmware in a format this one cannot read: it is left as it is, and a commit that would overwrite it fails with <see cref="StorageStatus.NewerRecord"/>.</summary>
    public bool HoldsNewerRecord
    {
        get { return _newer[0] || _newer[1] || _state.Newer; }
    }

    /// <summary>The storage code of the last failure that gave <see cref="ConfigStatus.StorageFailed"/>.</summary>
    public StorageStatus LastStorageError
    {
        get { return _lastStorageError; }
    }

    /// <summary>Loads the trial state, checks both slots and picks the active config; call once per boot.</summary>
    /// <remarks>
    /// A config on trial has this boot counted, or is rolled back when it already started the board's limit of boots.
    /// A pending reboot is consumed (see <see cref="RebootWasPending"/>). When the count cannot be persisted, the
    /// last good config is run instead, so an uncounted trial never runs; so it is when the trial state cannot be read
    /// (the newest config may be on trial or rolled back), and then nothing is staged until a boot reads it.
    /// </remarks>
    /// <returns><see cref="ConfigStatus.Ok"/>, or <see cref="ConfigStatus.StorageFailed"/> when the trial state could not be saved or read.</returns>
    public ConfigStatus Boot()
    {
        _booted = true;
        Read();
        if (_state.ReadError != StorageStatus.Ok)
        {
            return BootWithoutState();
        }

        Resolve();
        _rebootWasPending = _state.RebootPending;
        bool save = _state.RebootPending;
        _state.RebootPending = false;
        _bootOutcome = _active < 0 ? ConfigStatus.NoConfig : ConfigStatus.Ok;
        if (_onTrial)
        {
            save = true;
            if (_state.TrialBoots >= _maxTrialBoots)
            {
                Reject();
                _bootOutcome = ConfigStatus.RolledBack;
            }
            else
            {
                _state.TrialBoots++;
                _bootOutcome = ConfigStatus.TrialInProgress;
            }
        }

        // A trial whose slot did not run stays as it is: its header may never have landed (then no slot ever takes
        // its sequence, and the next commit replaces it), or a read of the slot failed at this boot, and the next boot
        // must find it on trial still, not confirmed.
        if (save && !SaveState())
        {
            if (_onTrial)
            {
                _active = _lastGood;
                _onTrial = false;
                _bootOutcome = _active < 0 ? ConfigStatus.NoConfig : ConfigStatus.RolledBack;
            }

            return ConfigStatus.StorageFailed;
        }

        Resolve();
        return ConfigStatus.Ok;
    }

    // Neither copy of the trial state could be read: whether the newest config is confirmed, on trial or rolled back is
    // unknown, so the one before it runs (as when a trial boot cannot count itself), and nothing is saved or staged
    // until a boot reads the state again.
    private ConfigStatus BootWithoutState()
    {
        int newest = StoredBytes.Newest(_valid[0], _sequence[0], _valid[1], _sequence[1]);
        if (newest >= 0)
        {
            _valid[newest] = false;
        }

        Resolve();
        _rebootWasPending = false;
        _bootOutcome = _active < 0 ? ConfigStatus.NoConfig : ConfigStatus.RolledBack;
        _lastStorageError = _state.ReadError;
        return ConfigStatus.StorageFailed;
    }

    /// <summary>Reads the trial state and both slots and checks each slot's content against its SHA-256, writing
    /// nothing: for tools that show what a flash holds without starting the device. Use instead of <see cref="Boot"/>;
    /// the store then answers the read-only members (no boot is counted, nothing can be staged).</summary>
    /// <returns><see cref="ConfigStatus.Ok"/>.</returns>
    public ConfigStatus Inspect()
    {
        _booted = false;
        Read();
        for (int slot = 0; slot < 2; slot++)
        {
            if (_valid[slot])
            {
                Verify(slot);
            }
        }

        Resolve();
        _rebootWasPending = _state.RebootPending;
        return ConfigStatus.Ok;
    }

    /// <summary>Makes the config on trial the last known good one.</summary>
    public ConfigStatus Confirm() => EndTrial(false);

    /// <summary>Rejects the config on trial and makes the last known good one active again (none, if there was none).</summary>
    /// <remarks>The caller re-applies the config <see cref="OpenActive"/> then reads.</remarks>
    public ConfigStatus RollBack() => EndTrial(true);

    /// <summary>Persists that a reboot is due; the next <see cref="Boot"/> consumes it and reports it in <see cref="RebootWasPending"/>.</summary>
    public ConfigStatus MarkRebootPending()
    {
        RequireBooted();
        _state.RebootPending = true;
        return SaveState() ? ConfigStatus.Ok : ConfigStatus.StorageFailed;
    }

    // Ends the trial: the config on trial confirmed, or rejected; either way the trial state is saved first.
    private ConfigStatus EndTrial(bool reject)
    {
        RequireBooted();
        if (!_onTrial)
        {
            return ConfigStatus.NotOnTrial;
        }

        uint trial = _state.TrialSequence;
        int boots = _state.TrialBoots;
        uint rejected = _state.RejectedSequence;
        int rejectedSlot = _rejected;
        if (reject)
        {
            Reject();
        }
        else
        {
            _state.TrialSequence = 0;
            _state.TrialBoots = 0;
        }

        if (!SaveState())
        {
            // Flash still holds the trial: so does memory, or a rollback after a failed confirm would confirm.
            _state.TrialSequence = trial;
            _state.TrialBoots = boots;
            _state.RejectedSequence = rejected;
            _rejected = rejectedSlot;
            return ConfigStatus.StorageFailed;
        }

        Resolve();
        return ConfigStatus.Ok;
    }

    private void RequireBooted()
    {
        if (!_booted)
        {
            throw new InvalidOperationException();
        }
    }

    /// <summary>Records a failed read of a slot that a reader of the store met (the applier's), for <see cref="LastStorageError"/>.</summary>
    internal void NoteStorageError(StorageStatus storageStatus)
    {
        _lastStorageError = storageStatus;
    }

    private bool Check(StorageStatus storageStatus)
    {
        if (storageStatus == StorageStatus.Ok)
        {
            return true;
        }

        _lastStorageError = storageStatus;
        return false;
    }

    private bool SaveState()
    {
        return Check(_state.Save(_storage));
    }

    private void Reject()
    {
        _rejected = _active;
        _state.RejectedSequence = _state.TrialSequence;
        _state.TrialSequence = 0;
        _state.TrialBoots = 0;
    }

    // Picks the active slot from what is known: the highest valid sequence that was not rejected.
    // Content is hashed only for a slot that could run: the winner, and the last good one during a trial, so a
    // confirmed boot reads one config, not two.
    private void Resolve()
    {
        int best = StoredBytes.Newest(Usable(0), _sequence[0], Usable(1), _sequence[1]);
        if (best >= 0 && !Verify(best))
        {
            best = Usable(1 - best) && Verify(1 - best) ? 1 - best : ConfigSlot.None;
        }

        _active = best;
        _onTrial = best >= 0 && _state.TrialSequence != 0 && _sequence[best] == _state.TrialSequence;
        _lastGood = best;
        if (_onTrial)
        {
            int other = 1 - best;
            _lastGood = Usable(other) && Verify(other) ? other : ConfigSlot.None;
        }
    }

    private bool Usable(int slot)
    {
        return _valid[slot] && (_state.RejectedSequence == 0 || _sequence[slot] != _state.RejectedSequence);
    }
}
