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
/// </remarks>
public sealed class ConfigStore
{
    /// <summary>The size in bytes of a slot header; the content starts right after it.</summary>
    public const int HeaderSize = 128;

    /// <summary>The longest config id the header holds, in bytes.</summary>
    public const int MaxConfigIdLength = 64;

    /// <summary>The SHA-256 digest length the header holds.</summary>
    public const int DigestSize = 32;

    /// <summary>The slot header's format version.</summary>
    public const int FormatVersion = 1;

    private const uint HeaderMagic = 0x47464343; // "CCFG"
    private const uint StagingMagic = 0x47545343; // "CSTG": a slot being filled, never a config
    private const uint VersionAndSize = FormatVersion | (HeaderSize << 16); // bytes 4..7: format version (2), header size (2)
    private const int OffsetVersion = 4;
    private const int OffsetSequence = 8;
    private const int OffsetLength = 12;
    private const int OffsetIdLength = 16;
    private const int OffsetId = 20;
    private const int OffsetDigest = OffsetId + MaxConfigIdLength;
    private const int OffsetCrc = HeaderSize - 4;

    private const int StageNone = 0;
    private const int StageReceiving = 1;
    private const int StageSealing = 2;
    private const int StageSealed = 3;

    private readonly IStorage _storage;
    private readonly HashFunction _sha256;
    private readonly byte[] _work;
    private readonly int _maxLength;
    private readonly int _maxTrialBoots;
    private readonly TrialState _state = new TrialState();

    private readonly byte[] _header = new byte[HeaderSize];
    private readonly byte[] _digest = new byte[DigestSize];

    // What Boot and Commit know of each slot, indexed by slot.
    // _valid: the header is intact and the content not known bad; _verified: the content's SHA-256 was checked.
    private readonly bool[] _valid = new bool[2];
    private readonly bool[] _verified = new bool[2];
    private readonly bool[] _newer = new bool[2];
    private readonly uint[] _sequence = new uint[2];
    private readonly int[] _length = new int[2];
    private readonly int[] _idLength = new int[2];
    private readonly byte[] _ids = new byte[2 * MaxConfigIdLength];
    private readonly byte[] _digests = new byte[2 * DigestSize];
    private uint _highestSeen;

    private bool _booted;
    private int _active = ConfigSlot.None;
    private int _lastGood = ConfigSlot.None;
    private bool _onTrial;
    private int _rejected = ConfigSlot.None;
    private bool _rebootWasPending;
    private ConfigBootOutcome _bootOutcome;
    private StorageStatus _lastStorageError;

    // The candidate being staged.
    private int _stage = StageNone;
    private int _stageSlot = ConfigSlot.None;
    private uint _stageSequence;
    private int _stageLength;
    private int _stageWritten;
    private int _stageHashed;
    private int _stageIdLength;
    private readonly byte[] _stageId = new byte[MaxConfigIdLength];
    private readonly byte[] _stageDigest = new byte[DigestSize];

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

    /// <summary>What the last <see cref="Boot"/> decided.</summary>
    public ConfigBootOutcome BootOutcome
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

    /// <summary>The slot a candidate is being staged into, or <see cref="ConfigSlot.None"/>.</summary>
    public int CandidateSlot
    {
        get { return _stage == StageNone ? ConfigSlot.None : _stageSlot; }
    }

    /// <summary>How many content bytes the candidate being staged holds so far (where <see cref="Append"/> continues).</summary>
    public int CandidateWritten
    {
        get { return _stage == StageNone ? 0 : _stageWritten; }
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
    /// last good config is run instead, so an uncounted trial never runs.
    /// </remarks>
    /// <returns><see cref="ConfigStatus.Ok"/>, or <see cref="ConfigStatus.StorageFailed"/> when the trial state could not be saved.</returns>
    public ConfigStatus Boot()
    {
        _booted = true;
        Read();
        Resolve();
        _rebootWasPending = _state.RebootPending;
        bool save = _state.RebootPending;
        _state.RebootPending = false;
        _bootOutcome = _active < 0 ? ConfigBootOutcome.NoConfig : ConfigBootOutcome.Confirmed;
        if (_onTrial)
        {
            save = true;
            if (_state.TrialBoots >= _maxTrialBoots)
            {
                Reject();
                _bootOutcome = ConfigBootOutcome.RolledBack;
            }
            else
            {
                _state.TrialBoots++;
                _bootOutcome = ConfigBootOutcome.OnTrial;
            }
        }
        else if (_state.TrialSequence != 0)
        {
            // A trial whose header never landed: forget it.
            _state.TrialSequence = 0;
            _state.TrialBoots = 0;
            save = true;
        }

        if (save && !SaveState())
        {
            if (_onTrial)
            {
                _active = _lastGood;
                _onTrial = false;
                _bootOutcome = _active < 0 ? ConfigBootOutcome.NoConfig : ConfigBootOutcome.RolledBack;
            }

            return ConfigStatus.StorageFailed;
        }

        Resolve();
        return ConfigStatus.Ok;
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

    /// <summary>The content length of the config in <paramref name="slot"/>, or -1 when the slot holds no intact
    /// config whose content was checked against its SHA-256 (empty, being filled, torn or corrupt; after
    /// <see cref="Boot"/> a slot that cannot run is not checked).</summary>
    public int SlotLength(int slot)
    {
        return _valid[slot] && _verified[slot] ? _length[slot] : -1;
    }

    /// <summary>Copies the id of the download staged in <paramref name="slot"/> (its staging header: being filled, or
    /// filled and never committed) into <paramref name="buffer"/> at <paramref name="offset"/>, for tools that inspect a
    /// device's flash.</summary>
    /// <returns>The id's length in bytes, or -1 when the slot holds no staging header.</returns>
    public int CopyStagedConfigId(int slot, byte[] buffer, int offset)
    {
        if (!ReadHeader(ConfigSlot.AreaOf(slot), StagingMagic))
        {
            return -1;
        }

        int length = _header[OffsetIdLength];
        Array.Copy(_header, OffsetId, buffer, offset, length);
        return length;
    }

    /// <summary>The content length the staging header of <paramref name="slot"/> announces (call after
    /// <see cref="CopyStagedConfigId"/> found one).</summary>
    public int StagedLength(int slot)
    {
        return ReadHeader(ConfigSlot.AreaOf(slot), StagingMagic) ? (int)StoredBytes.ReadUInt32(_header, OffsetLength) : -1;
    }

    /// <summary>Copies the id of the config in <paramref name="slot"/> into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>The id's length in bytes, or -1 when <see cref="SlotLength"/> is -1.</returns>
    public int CopySlotConfigId(int slot, byte[] buffer, int offset)
    {
        if (SlotLength(slot) < 0)
        {
            return -1;
        }

        Array.Copy(_ids, slot * MaxConfigIdLength, buffer, offset, _idLength[slot]);
        return _idLength[slot];
    }

    /// <summary>Copies the SHA-256 of the config in <paramref name="slot"/> into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>False when <see cref="SlotLength"/> is -1.</returns>
    public bool CopySlotDigest(int slot, byte[] buffer, int offset)
    {
        if (SlotLength(slot) < 0)
        {
            return false;
        }

        Array.Copy(_digests, slot * DigestSize, buffer, offset, DigestSize);
        return true;
    }

    /// <summary>True when the config in <paramref name="slot"/> was rolled back: it never runs again.</summary>
    public bool IsSlotRejected(int slot)
    {
        return SlotLength(slot) >= 0 && _state.RejectedSequence != 0 && _sequence[slot] == _state.RejectedSequence;
    }

    /// <summary>Starts staging a new config of <paramref name="length"/> bytes into the inactive slot.</summary>
    /// <remarks>Abandons any candidate staged before. The config id is kept in the header (for the freshness rule and reports).</remarks>
    public ConfigStatus Begin(byte[] configId, int idOffset, int idCount, int length)
    {
        RequireBooted();
        _stage = StageNone;
        if (_onTrial)
        {
            return ConfigStatus.TrialInProgress;
        }

        if (length < 0 || length > _maxLength)
        {
            return ConfigStatus.TooLarge;
        }

        if (idCount < 0 || idCount > MaxConfigIdLength)
        {
            return ConfigStatus.ConfigIdTooLong;
        }

        int slot = _active == ConfigSlot.A ? ConfigSlot.B : ConfigSlot.A;
        string area = ConfigSlot.AreaOf(slot);
        if (_newer[slot])
        {
            // A newer firmware's config is never overwritten by this one.
            _lastStorageError = StorageStatus.NewerRecord;
            return ConfigStatus.StorageFailed;
        }

        // The staging header first: from here on the slot is no config until its real header is written.
        _valid[slot] = false;
        if (!Check(_storage.Truncate(area, 0)))
        {
            return ConfigStatus.StorageFailed;
        }

        Array.Copy(configId, idOffset, _stageId, 0, idCount);
        _stageIdLength = idCount;
        _stageSlot = slot;
        _stageLength = length;
        _stageWritten = 0;
        _stageSequence = 0;
        Array.Clear(_stageDigest, 0, DigestSize);
        EncodeHeader(StagingMagic);
        if (!Check(_storage.Write(area, 0, _header, 0, HeaderSize)))
        {
            return ConfigStatus.StorageFailed;
        }

        _stageSequence = NextSequence();
        _stage = StageReceiving;
        return ConfigStatus.Ok;
    }

    /// <summary>Picks up a candidate that <see cref="Begin"/> started before a reboot or a dropped download, with the same id and length.</summary>
    /// <remarks>
    /// Continue with <see cref="Append"/> from <see cref="CandidateWritten"/>. A cut during an append leaves a prefix of
    /// it, so what landed is always a prefix of the content; <see cref="Seal"/> hashes it all from flash at the end.
    /// </remarks>
    /// <returns><see cref="ConfigStatus.Ok"/>, or <see cref="ConfigStatus.NothingToResume"/> when the inactive slot holds no such candidate (call <see cref="Begin"/>).</returns>
    public ConfigStatus Resume(byte[] configId, int idOffset, int idCount, int length)
    {
        RequireBooted();
        _stage = StageNone;
        if (_onTrial)
        {
            return ConfigStatus.TrialInProgress;
        }

        int slot = _active == ConfigSlot.A ? ConfigSlot.B : ConfigSlot.A;
        string area = ConfigSlot.AreaOf(slot);
        int landed = _storage.Length(area) - HeaderSize;
        if (landed < 0 || landed > length || idCount < 0 || idCount > MaxConfigIdLength
            || !ReadHeader(area, StagingMagic)
            || (int)StoredBytes.ReadUInt32(_header, OffsetLength) != length || _header[OffsetIdLength] != idCount
            || !SameBytes(_header, OffsetId, configId, idOffset, idCount))
        {
            return ConfigStatus.NothingToResume;
        }

        Array.Copy(configId, idOffset, _stageId, 0, idCount);
        _stageIdLength = idCount;
        _stageSlot = slot;
        _stageLength = length;
        _stageWritten = landed;
        _stageSequence = NextSequence();
        _stage = StageReceiving;
        return ConfigStatus.Ok;
    }

    /// <summary>Appends <paramref name="count"/> bytes of content to the candidate, straight to storage (hashed once, by <see cref="Seal"/>).</summary>
    public ConfigStatus Append(byte[] buffer, int offset, int count)
    {
        if (_stage != StageReceiving)
        {
            return ConfigStatus.WrongStage;
        }

        if (count < 0 || count > _stageLength - _stageWritten)
        {
            return ConfigStatus.LengthMismatch;
        }

        if (!Check(_storage.Write(ConfigSlot.AreaOf(_stageSlot), HeaderSize + _stageWritten, buffer, offset, count)))
        {
            _stage = StageNone;
            return ConfigStatus.StorageFailed;
        }

        _stageWritten += count;
        return ConfigStatus.Ok;
    }

    /// <summary>
    /// Ends the content and verifies it as flash holds it: reads it back through the work buffer, one buffer per call,
    /// and compares its SHA-256 with <paramref name="expectedDigest"/> (when not null; it becomes the header's digest).
    /// </summary>
    /// <remarks>
    /// Call again while it returns <see cref="ConfigStatus.InProgress"/>: each call reads at most one work buffer, so a
    /// caller can service the network between calls. A sealed candidate can be read with <see cref="OpenCandidate"/>
    /// and then committed; a failed one is dropped (its slot stays a staging slot, never a config).
    /// </remarks>
    /// <returns><see cref="ConfigStatus.Ok"/> once sealed; <see cref="ConfigStatus.InProgress"/>; or why not:
    /// <see cref="ConfigStatus.LengthMismatch"/>, <see cref="ConfigStatus.DigestMismatch"/>,
    /// <see cref="ConfigStatus.StorageFailed"/>, <see cref="ConfigStatus.VerifyFailed"/> (flash holds less than was written).</returns>
    public ConfigStatus Seal(byte[] expectedDigest, int digestOffset)
    {
        if (_stage == StageReceiving)
        {
            if (_stageWritten != _stageLength)
            {
                return ConfigStatus.LengthMismatch;
            }

            _sha256.Reset();
            _stageHashed = 0;
            _stage = StageSealing;
        }
        else if (_stage != StageSealing)
        {
            return ConfigStatus.WrongStage;
        }

        int want = _stageLength - _stageHashed;
        if (want > 0)
        {
            if (want > _work.Length)
            {
                want = _work.Length;
            }

            int read = _storage.Read(ConfigSlot.AreaOf(_stageSlot), HeaderSize + _stageHashed, _work, 0, want);
            if (read <= 0)
            {
                _stage = StageNone;
                if (read < 0)
                {
                    _lastStorageError = (StorageStatus)read;
                    return ConfigStatus.StorageFailed;
                }

                return ConfigStatus.VerifyFailed;
            }

            _sha256.Update(_work, 0, read);
            _stageHashed += read;
            if (_stageHashed < _stageLength)
            {
                return ConfigStatus.InProgress;
            }
        }

        _stage = StageNone;
        _sha256.Final(_stageDigest, 0);
        if (expectedDigest != null && !SameBytes(expectedDigest, digestOffset, _stageDigest, 0, DigestSize))
        {
            return ConfigStatus.DigestMismatch;
        }

        _stage = StageSealed;
        return ConfigStatus.Ok;
    }

    /// <summary>Makes the sealed candidate the active config by writing its header, on trial or confirmed at once.</summary>
    /// <param name="onTrial">True to keep the current config as last known good until <see cref="Confirm"/>.</param>
    public ConfigStatus Commit(bool onTrial)
    {
        if (_stage != StageSealed)
        {
            return ConfigStatus.WrongStage;
        }

        _stage = StageNone;
        int slot = _stageSlot;
        if (onTrial)
        {
            // Recorded before the header lands, so a header that lands is never mistaken for a confirmed config.
            _state.TrialSequence = _stageSequence;
            _state.TrialBoots = 0;
            if (!SaveState())
            {
                return ConfigStatus.StorageFailed;
            }
        }

        EncodeHeader(HeaderMagic);
        string area = ConfigSlot.AreaOf(slot);
        if (!Check(_storage.Write(area, 0, _header, 0, HeaderSize)))
        {
            return ConfigStatus.StorageFailed;
        }

        if (!StoredBytes.ReadFully(_storage, area, 0, _work, 0, HeaderSize) || !SameBytes(_work, 0, _header, 0, HeaderSize))
        {
            return ConfigStatus.VerifyFailed;
        }

        _valid[slot] = true;
        _verified[slot] = true;
        _sequence[slot] = _stageSequence;
        _length[slot] = _stageLength;
        _idLength[slot] = _stageIdLength;
        Array.Copy(_stageId, 0, _ids, slot * MaxConfigIdLength, _stageIdLength);
        Array.Copy(_stageDigest, 0, _digests, slot * DigestSize, DigestSize);
        if (Later(_stageSequence, _highestSeen))
        {
            _highestSeen = _stageSequence;
        }

        Resolve();
        return ConfigStatus.Ok;
    }

    /// <summary>Drops the candidate being staged; its slot stays invalid.</summary>
    public void Abort()
    {
        _stage = StageNone;
    }

    /// <summary>Makes the config on trial the last known good one.</summary>
    public ConfigStatus Confirm()
    {
        RequireBooted();
        if (!_onTrial)
        {
            return ConfigStatus.NotOnTrial;
        }

        _state.TrialSequence = 0;
        _state.TrialBoots = 0;
        if (!SaveState())
        {
            return ConfigStatus.StorageFailed;
        }

        Resolve();
        return ConfigStatus.Ok;
    }

    /// <summary>Rejects the config on trial and makes the last known good one active again (none, if there was none).</summary>
    /// <remarks>The caller re-applies the config <see cref="OpenActive"/> then reads.</remarks>
    public ConfigStatus RollBack()
    {
        RequireBooted();
        if (!_onTrial)
        {
            return ConfigStatus.NotOnTrial;
        }

        Reject();
        if (!SaveState())
        {
            return ConfigStatus.StorageFailed;
        }

        Resolve();
        return ConfigStatus.Ok;
    }

    /// <summary>Persists that a reboot is due; the next <see cref="Boot"/> consumes it and reports it in <see cref="RebootWasPending"/>.</summary>
    public ConfigStatus MarkRebootPending()
    {
        RequireBooted();
        _state.RebootPending = true;
        return SaveState() ? ConfigStatus.Ok : ConfigStatus.StorageFailed;
    }

    /// <summary>Points <paramref name="reader"/> at the active config's content.</summary>
    public ConfigStatus OpenActive(ConfigReader reader)
    {
        if (_active < 0)
        {
            reader.Close();
            return ConfigStatus.NoConfig;
        }

        reader.Open(_storage, ConfigSlot.AreaOf(_active), HeaderSize, _length[_active]);
        return ConfigStatus.Ok;
    }

    /// <summary>Points <paramref name="reader"/> at the sealed candidate's content, for validation before <see cref="Commit"/>.</summary>
    public ConfigStatus OpenCandidate(ConfigReader reader)
    {
        if (_stage != StageSealed)
        {
            reader.Close();
            return ConfigStatus.WrongStage;
        }

        reader.Open(_storage, ConfigSlot.AreaOf(_stageSlot), HeaderSize, _stageLength);
        return ConfigStatus.Ok;
    }

    /// <summary>Copies the active config's id into <paramref name="buffer"/> at <paramref name="offset"/> (room for <see cref="MaxConfigIdLength"/> bytes is always enough).</summary>
    /// <returns>The id's length in bytes, or -1 when no config is active.</returns>
    public int CopyActiveConfigId(byte[] buffer, int offset)
    {
        if (_active < 0)
        {
            return -1;
        }

        Array.Copy(_ids, _active * MaxConfigIdLength, buffer, offset, _idLength[_active]);
        return _idLength[_active];
    }

    /// <summary>Copies the id of the candidate being staged (given to <see cref="Begin"/> or <see cref="Resume"/>) into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>The id's length in bytes, or -1 when no candidate is being staged.</returns>
    public int CopyCandidateConfigId(byte[] buffer, int offset)
    {
        if (_stage == StageNone)
        {
            return -1;
        }

        Array.Copy(_stageId, 0, buffer, offset, _stageIdLength);
        return _stageIdLength;
    }

    /// <summary>Copies the id of the config that the last <see cref="Boot"/> or <see cref="RollBack"/> rejected into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>The id's length in bytes, or -1 when none was rejected since the last <see cref="Boot"/> began.</returns>
    public int CopyRejectedConfigId(byte[] buffer, int offset)
    {
        if (_rejected < 0)
        {
            return -1;
        }

        Array.Copy(_ids, _rejected * MaxConfigIdLength, buffer, offset, _idLength[_rejected]);
        return _idLength[_rejected];
    }

    /// <summary>
    /// True when the config rejected last (rolled back by <see cref="RollBack"/> or by the boot-loop guard, at this boot
    /// or an earlier one) is still in its slot and its id is exactly the given bytes.
    /// </summary>
    public bool RejectedConfigIdEquals(byte[] buffer, int offset, int count)
    {
        uint rejected = _state.RejectedSequence;
        for (int slot = 0; slot < 2; slot++)
        {
            if (rejected != 0 && _valid[slot] && _sequence[slot] == rejected && count == _idLength[slot]
                && SameBytes(buffer, offset, _ids, slot * MaxConfigIdLength, count))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a config is active and its id is exactly the given bytes.</summary>
    public bool ActiveConfigIdEquals(byte[] buffer, int offset, int count)
    {
        return _active >= 0 && count == _idLength[_active] && SameBytes(buffer, offset, _ids, _active * MaxConfigIdLength, count);
    }

    /// <summary>Copies the active config's SHA-256 into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>False when no config is active.</returns>
    public bool CopyActiveDigest(byte[] buffer, int offset)
    {
        if (_active < 0)
        {
            return false;
        }

        Array.Copy(_digests, _active * DigestSize, buffer, offset, DigestSize);
        return true;
    }

    // What Boot and Inspect both start from: the trial state and both slots' headers, as storage holds them.
    private void Read()
    {
        _stage = StageNone;
        _rejected = ConfigSlot.None;
        _state.Load(_storage);
        _highestSeen = 0;
        ScanSlot(ConfigSlot.A);
        ScanSlot(ConfigSlot.B);
    }

    private void RequireBooted()
    {
        if (!_booted)
        {
            throw new InvalidOperationException();
        }
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

    private uint NextSequence()
    {
        uint next = _highestSeen;
        if (Later(_state.TrialSequence, next))
        {
            next = _state.TrialSequence;
        }

        if (Later(_state.RejectedSequence, next))
        {
            next = _state.RejectedSequence;
        }

        // 0 means "none" in the trial state, so the wrap skips it.
        return next + 1 == 0 ? 1 : next + 1;
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

    // Checks a slot's content against its header's SHA-256 once; a mismatch makes the slot invalid.
    private bool Verify(int slot)
    {
        if (!_verified[slot])
        {
            _verified[slot] = true;
            _valid[slot] = DigestContent(slot, _length[slot]) == ConfigStatus.Ok
                && SameBytes(_digest, 0, _digests, slot * DigestSize, DigestSize);
        }

        return _valid[slot];
    }

    private void ScanSlot(int slot)
    {
        _valid[slot] = false;
        string area = ConfigSlot.AreaOf(slot);
        _newer[slot] = StoredBytes.HoldsNewer(_storage, area, 0, _header, HeaderMagic, OffsetVersion, FormatVersion);
        int areaLength = _storage.Length(area);
        if (_newer[slot] || areaLength < HeaderSize || !ReadHeader(area, HeaderMagic))
        {
            return;
        }

        uint sequence = StoredBytes.ReadUInt32(_header, OffsetSequence);
        if (Later(sequence, _highestSeen))
        {
            _highestSeen = sequence;
        }

        int length = (int)StoredBytes.ReadUInt32(_header, OffsetLength);
        int idLength = _header[OffsetIdLength];
        if (length < 0 || length > _maxLength || idLength > MaxConfigIdLength || areaLength != HeaderSize + length)
        {
            return;
        }

        _valid[slot] = true;
        _verified[slot] = false;
        _sequence[slot] = sequence;
        _length[slot] = length;
        _idLength[slot] = idLength;
        Array.Copy(_header, OffsetId, _ids, slot * MaxConfigIdLength, idLength);
        Array.Copy(_header, OffsetDigest, _digests, slot * DigestSize, DigestSize);
    }

    // Reads area's header into _header; true when it has the magic, this format and an intact CRC32.
    private bool ReadHeader(string area, uint magic)
    {
        return StoredBytes.ReadSealed(_storage, area, 0, _header, magic) && StoredBytes.ReadUInt32(_header, 4) == VersionAndSize;
    }

    private void EncodeHeader(uint magic)
    {
        StoredBytes.Begin(_header, HeaderSize, magic, VersionAndSize);
        StoredBytes.WriteUInt32(_header, OffsetSequence, _stageSequence);
        StoredBytes.WriteUInt32(_header, OffsetLength, (uint)_stageLength);
        _header[OffsetIdLength] = (byte)_stageIdLength;
        Array.Copy(_stageId, 0, _header, OffsetId, _stageIdLength);
        Array.Copy(_stageDigest, 0, _header, OffsetDigest, DigestSize);
        StoredBytes.Seal(_header, OffsetCrc);
    }

    // SHA-256 of a slot's content as stored, through the work buffer, into _digest.
    private ConfigStatus DigestContent(int slot, int length)
    {
        string area = ConfigSlot.AreaOf(slot);
        _sha256.Reset();
        int done = 0;
        while (done < length)
        {
            int want = length - done;
            if (want > _work.Length)
            {
                want = _work.Length;
            }

            int read = _storage.Read(area, HeaderSize + done, _work, 0, want);
            if (read <= 0)
            {
                if (read < 0)
                {
                    _lastStorageError = (StorageStatus)read;
                }

                return ConfigStatus.VerifyFailed;
            }

            _sha256.Update(_work, 0, read);
            done += read;
        }

        _sha256.Final(_digest, 0);
        return ConfigStatus.Ok;
    }

    // True when sequence a (0: none) came after b (0: none), across the wrap.
    private static bool Later(uint a, uint b)
    {
        return a != 0 && (b == 0 || StoredBytes.IsAfter(a, b));
    }

    private static bool SameBytes(byte[] a, int aOffset, byte[] b, int bOffset, int count)
    {
        int diff = 0;
        for (int i = 0; i < count; i++)
        {
            diff |= a[aOffset + i] ^ b[bOffset + i];
        }

        return diff == 0;
    }
}
