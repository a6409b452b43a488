using System;
using CotaFirmware.Crypto;
using CotaFirmware.Platform;

namespace CotaFirmware.Config;

// Writing a new config: staged into the inactive slot behind a staging header, streamed in, sealed (read back and
// hashed), then committed by writing its real header last.
public sealed partial class ConfigStore
{
    // Where the candidate is: none, its content coming in, being hashed by Seal, sealed and ready to commit.
    private enum Stage
    {
        None,
        Receiving,
        Sealing,
        Sealed,
    }

    // The candidate being staged.
    private Stage _stage = Stage.None;
    private int _stageSlot = ConfigSlot.None;
    private uint _stageSequence;
    private int _stageLength;
    private int _stageWritten;
    private int _stageHashed;
    private int _stageIdLength;
    private readonly byte[] _stageId = new byte[MaxConfigIdLength];
    private readonly byte[] _stageDigest = new byte[DigestSize];

    /// <summary>The slot a candidate is being staged into, or <see cref="ConfigSlot.None"/>.</summary>
    public int CandidateSlot
    {
        get { return _stage == Stage.None ? ConfigSlot.None : _stageSlot; }
    }

    /// <summary>How many content bytes the candidate being staged holds so far (where <see cref="Append"/> continues).</summary>
    public int CandidateWritten
    {
        get { return _stage == Stage.None ? 0 : _stageWritten; }
    }

    /// <summary>Starts staging a new config of <paramref name="length"/> bytes into the inactive slot.</summary>
    /// <remarks>Abandons any candidate staged before. The config id is kept in the header (for the freshness rule and reports).</remarks>
    public ConfigStatus Begin(byte[] configId, int idOffset, int idCount, int length)
    {
        ConfigStatus refused = StagingRefused();
        if (refused != ConfigStatus.Ok)
        {
            return refused;
        }

        if (length < 0 || length > _maxLength)
        {
            return ConfigStatus.TooLarge;
        }

        if (idCount < 0 || idCount > MaxConfigIdLength)
        {
            return ConfigStatus.ConfigIdTooLong;
        }

        int slot = StagingSlot();
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
        _stage = Stage.Receiving;
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
        ConfigStatus refused = StagingRefused();
        if (refused != ConfigStatus.Ok)
        {
            return refused;
        }

        int slot = StagingSlot();
        string area = ConfigSlot.AreaOf(slot);
        int landed = _storage.Length(area) - HeaderSize;
        if (landed < 0 || landed > length || idCount < 0 || idCount > MaxConfigIdLength
            || !ReadHeader(area, StagingMagic)
            || (int)StoredBytes.ReadUInt32(_header, OffsetLength) != length || _header[OffsetIdLength] != idCount
            || !ConstantTime.AreEqual(_header, OffsetId, idCount, configId, idOffset, idCount))
        {
            return ConfigStatus.NothingToResume;
        }

        Array.Copy(configId, idOffset, _stageId, 0, idCount);
        _stageIdLength = idCount;
        _stageSlot = slot;
        _stageLength = length;
        _stageWritten = landed;
        _stageSequence = NextSequence();
        _stage = Stage.Receiving;
        return ConfigStatus.Ok;
    }

    /// <summary>Appends <paramref name="count"/> bytes of content to the candidate, straight to storage (hashed once, by <see cref="Seal"/>).</summary>
    public ConfigStatus Append(byte[] buffer, int offset, int count)
    {
        if (_stage != Stage.Receiving)
        {
            return ConfigStatus.WrongStage;
        }

        if (count < 0 || count > _stageLength - _stageWritten)
        {
            return ConfigStatus.LengthMismatch;
        }

        if (!Check(_storage.Write(ConfigSlot.AreaOf(_stageSlot), HeaderSize + _stageWritten, buffer, offset, count)))
        {
            _stage = Stage.None;
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
        if (_stage == Stage.Receiving)
        {
            if (_stageWritten != _stageLength)
            {
                return ConfigStatus.LengthMismatch;
            }

            _sha256.Reset();
            _stageHashed = 0;
            _stage = Stage.Sealing;
        }
        else if (_stage != Stage.Sealing)
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
                _stage = Stage.None;
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

        _stage = Stage.None;
        _sha256.Final(_stageDigest, 0);
        if (expectedDigest != null && !ConstantTime.AreEqual(expectedDigest, digestOffset, DigestSize, _stageDigest, 0, DigestSize))
        {
            return ConfigStatus.DigestMismatch;
        }

        _stage = Stage.Sealed;
        return ConfigStatus.Ok;
    }

    /// <summary>Makes the sealed candidate the active config by writing its header, on trial or confirmed at once.</summary>
    /// <param name="onTrial">True to keep the current config as last known good until <see cref="Confirm"/>.</param>
    public ConfigStatus Commit(bool onTrial)
    {
        if (_stage != Stage.Sealed)
        {
            return ConfigStatus.WrongStage;
        }

        _stage = Stage.None;
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
            RejectStaged();
            return ConfigStatus.StorageFailed;
        }

        if (!StoredBytes.ReadFully(_storage, area, 0, _work, 0, HeaderSize) || !ConstantTime.AreEqual(_work, 0, HeaderSize, _header, 0, HeaderSize))
        {
            RejectStaged();
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

    // A commit that failed may still have landed its header (a write that failed late, a read-back that failed on its
    // own): its sequence is rejected, so the next boot does not run a config its caller was told failed. Best effort:
    // the caller reports the first failure.
    private void RejectStaged()
    {
        _state.RejectedSequence = _stageSequence;
        _state.TrialSequence = 0;
        _state.TrialBoots = 0;
        _state.Save(_storage);
    }

    /// <summary>Drops the candidate being staged; its slot stays invalid.</summary>
    public void Abort()
    {
        _stage = Stage.None;
    }

    /// <summary>Points <paramref name="reader"/> at the sealed candidate's content, for validation before <see cref="Commit"/>.</summary>
    public ConfigStatus OpenCandidate(ConfigReader reader)
    {
        if (_stage != Stage.Sealed)
        {
            reader.Close();
            return ConfigStatus.WrongStage;
        }

        reader.Open(_storage, ConfigSlot.AreaOf(_stageSlot), HeaderSize, _stageLength);
        return ConfigStatus.Ok;
    }

    /// <summary>Copies the id of the candidate being staged (given to <see cref="Begin"/> or <see cref="Resume"/>) into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>The id's length in bytes, or -1 when no candidate is being staged.</returns>
    public int CopyCandidateConfigId(byte[] buffer, int offset)
    {
        if (_stage == Stage.None)
        {
            return -1;
        }

        Array.Copy(_stageId, 0, buffer, offset, _stageIdLength);
        return _stageIdLength;
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

    // Drops any candidate; why nothing may be staged now, or Ok. During a trial the inactive slot is the last good
    // config; with the trial state unread it may be a confirmed one, and no commit could be saved anyway.
    private ConfigStatus StagingRefused()
    {
        RequireBooted();
        _stage = Stage.None;
        if (_onTrial)
        {
            return ConfigStatus.TrialInProgress;
        }

        return Check(_state.ReadError) ? ConfigStatus.Ok : ConfigStatus.StorageFailed;
    }

    // The slot a candidate goes into: the one not running. When nothing runs and B holds the rejected config, B: the
    // trial state names one rejected sequence, and a rollback of the candidate would otherwise revive that config.
    private int StagingSlot()
    {
        if (_active == ConfigSlot.A || (_active < 0 && _valid[ConfigSlot.B] && !Usable(ConfigSlot.B)))
        {
            return ConfigSlot.B;
        }

        return ConfigSlot.A;
    }
}
