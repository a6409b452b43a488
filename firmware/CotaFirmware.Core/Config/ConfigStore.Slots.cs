using System;
using CotaFirmware.Crypto;
using CotaFirmware.Platform;

namespace CotaFirmware.Config;

// The two slots as storage holds them: the header's layout, the scan at boot, the content's SHA-256 check, and
// what the slots hold for the applier and for tools.
public sealed partial class ConfigStore
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
        return CopyId(SlotLength(slot) < 0 ? ConfigSlot.None : slot, buffer, offset);
    }

    /// <summary>Copies the SHA-256 of the config in <paramref name="slot"/> into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>False when <see cref="SlotLength"/> is -1.</returns>
    public bool CopySlotDigest(int slot, byte[] buffer, int offset)
    {
        return CopyDigest(SlotLength(slot) < 0 ? ConfigSlot.None : slot, buffer, offset);
    }

    /// <summary>True when the config in <paramref name="slot"/> was rolled back: it never runs again.</summary>
    public bool IsSlotRejected(int slot)
    {
        return SlotLength(slot) >= 0 && _state.RejectedSequence != 0 && _sequence[slot] == _state.RejectedSequence;
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

    /// <summary>Copies the active config's id into <paramref name="buffer"/> at <paramref name="offset"/> (room for <see cref="MaxConfigIdLength"/> bytes is always enough).</summary>
    /// <returns>The id's length in bytes, or -1 when no config is active.</returns>
    public int CopyActiveConfigId(byte[] buffer, int offset)
    {
        return CopyId(_active, buffer, offset);
    }

    /// <summary>Copies the id of the config that the last <see cref="Boot"/> or <see cref="RollBack"/> rejected into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>The id's length in bytes, or -1 when none was rejected since the last <see cref="Boot"/> began.</returns>
    public int CopyRejectedConfigId(byte[] buffer, int offset)
    {
        return CopyId(_rejected, buffer, offset);
    }

    /// <summary>
    /// True when the config rejected last (rolled back by <see cref="RollBack"/> or by the boot-loop guard, at this boot
    /// or an earlier one) is still in its slot and its id is exactly the given bytes.
    /// </summary>
    public bool RejectedConfigIdEquals(byte[] buffer, int offset, int count)
    {
        return IdEquals(RejectedSlot(), buffer, offset, count);
    }

    /// <summary>True when the config rejected last is still in its slot and its SHA-256 is the 32 bytes of <paramref name="digest"/> at <paramref name="offset"/>.</summary>
    public bool RejectedDigestEquals(byte[] digest, int offset)
    {
        return DigestEquals(RejectedSlot(), digest, offset);
    }

    /// <summary>True when a config is active and its id is exactly the given bytes.</summary>
    public bool ActiveConfigIdEquals(byte[] buffer, int offset, int count)
    {
        return IdEquals(_active, buffer, offset, count);
    }

    /// <summary>True when a config is active and its SHA-256 is the 32 bytes of <paramref name="digest"/> at <paramref name="offset"/>: with its id, the same config, not new content under an old id.</summary>
    public bool ActiveDigestEquals(byte[] digest, int offset)
    {
        return DigestEquals(_active, digest, offset);
    }

    // The slot still holding the config rejected last, or None.
    private int RejectedSlot()
    {
        uint rejected = _state.RejectedSequence;
        for (int slot = 0; slot < 2; slot++)
        {
            if (rejected != 0 && _valid[slot] && _sequence[slot] == rejected)
            {
                return slot;
            }
        }

        return ConfigSlot.None;
    }

    private bool IdEquals(int slot, byte[] buffer, int offset, int count)
    {
        return slot >= 0 && count == _idLength[slot] && ConstantTime.AreEqual(buffer, offset, count, _ids, slot * MaxConfigIdLength, count);
    }

    private bool DigestEquals(int slot, byte[] digest, int offset)
    {
        return slot >= 0 && ConstantTime.AreEqual(digest, offset, DigestSize, _digests, slot * DigestSize, DigestSize);
    }

    /// <summary>Copies the active config's SHA-256 into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>False when no config is active.</returns>
    public bool CopyActiveDigest(byte[] buffer, int offset)
    {
        return CopyDigest(_active, buffer, offset);
    }

    // The id of the config in slot (None: no config) into buffer; its length, or -1.
    private int CopyId(int slot, byte[] buffer, int offset)
    {
        if (slot < 0)
        {
            return -1;
        }

        Array.Copy(_ids, slot * MaxConfigIdLength, buffer, offset, _idLength[slot]);
        return _idLength[slot];
    }

    // The SHA-256 of the config in slot (None: no config) into buffer; false when there is none.
    private bool CopyDigest(int slot, byte[] buffer, int offset)
    {
        if (slot < 0)
        {
            return false;
        }

        Array.Copy(_digests, slot * DigestSize, buffer, offset, DigestSize);
        return true;
    }

    // What Boot and Inspect both start from: the trial state and both slots' headers, as storage holds them.
    private void Read()
    {
        _stage = Stage.None;
        _rejected = ConfigSlot.None;
        _state.Load(_storage);
        _highestSeen = 0;
        ScanSlot(ConfigSlot.A);
        ScanSlot(ConfigSlot.B);
    }

    // Checks a slot's content against its header's SHA-256 once; a mismatch makes the slot invalid.
    private bool Verify(int slot)
    {
        if (!_verified[slot])
        {
            _verified[slot] = true;
            _valid[slot] = DigestContent(slot, _length[slot]) == ConfigStatus.Ok
                && ConstantTime.AreEqual(_digest, 0, DigestSize, _digests, slot * DigestSize, DigestSize);
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
}
