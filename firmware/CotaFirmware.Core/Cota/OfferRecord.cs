using CotaFirmware.Crypto;
using CotaFirmware.Platform;

namespace CotaFirmware.Cota;

/// <summary>
/// The one accepted offer the device owns until its result is in the <see cref="ResultLog"/>: its sequence, configId,
/// size, digest and URL (so a download resumes after a reboot without the cloud), and a rollback under way with its reason.
/// </summary>
/// <remarks>
/// Two copies in the areas <c>cota.offer0</c> and <c>cota.offer1</c>; a save overwrites the one that does not hold the
/// newest record, so a cut leaves the previous record whole. Layout (little-endian): magic "COF1", write count,
/// offer sequence, stage (1), reason (1), configId length (1), reserved (1), size, digest (32), configId (64), URL
/// length (2), reserved (2), CRC-32 over bytes 0..119 and the URL, then the URL. Whether a config on trial was
/// committed, confirmed or rolled back is the config store's to say; this record only names the offer and a
/// rollback's reason, which the store does not keep. The magic's last byte is the version ('1'); a copy in a newer
/// version makes the record <see cref="Newer"/>: no offer is read and nothing is written; so it is when a copy cannot be
/// read at all (<see cref="ReadError"/>), until a boot reads both.
/// </remarks>
internal sealed class OfferRecord
{
    private const int HeaderSize = 124;
    private const uint Magic = 0x31464F43; // "COF1" in its bytes: type "COF", version '1'
    private const int Version = '1';
    private const int CrcAt = 120;
    private static readonly string[] Areas = { "cota.offer0", "cota.offer1" };

    private readonly byte[] _header = new byte[HeaderSize];
    private readonly byte[] _id = new byte[ConfigOffer.MaxConfigIdLength];
    private readonly byte[] _digest = new byte[ConfigOffer.DigestLength];
    private uint _writes;
    private int _current = 1;

    /// <summary>The offer's sequence (the last one handed out while none is owned).</summary>
    internal uint Sequence;

    /// <summary>Where the owned offer stands.</summary>
    internal OfferStage Stage;

    /// <summary>Why the rollback happens (<see cref="OfferStage.RollingBack"/> only).</summary>
    internal CotaStatus Reason;

    /// <summary>A copy holds a newer firmware's record: <see cref="Load"/> finds none and <see cref="Save"/> writes nothing.</summary>
    internal bool Newer;

    /// <summary>Why a copy could not be read (a read error, not a copy absent or torn), or <see cref="StorageStatus.Ok"/>:
    /// the record is then unknown, not empty nor the other copy's, and <see cref="Save"/> writes nothing (the copy not
    /// read may hold the newest record, an offer owned).</summary>
    internal StorageStatus ReadError;

    /// <summary>Reads both copies and keeps the newest valid one; its offer goes into <paramref name="offer"/>.</summary>
    /// <returns>True when a record was found (its <see cref="Stage"/> may be <see cref="OfferStage.None"/>); false when
    /// there is none, or it is unknown (<see cref="Newer"/>, <see cref="ReadError"/>).</returns>
    internal bool Load(IStorage storage, ConfigOffer offer)
    {
        _writes = 0;
        _current = 1;
        Stage = OfferStage.None;
        ReadError = StorageStatus.Ok;
        Newer = StoredBytes.EitherHoldsNewer(storage, Areas[0], Areas[1], 0, _header, Magic, 3, Version);
        int best = -1;
        if (!Newer)
        {
            bool valid0 = Read(storage, 0, offer);
            uint writes0 = StoredBytes.ReadUInt32(_header, 4);
            bool valid1 = Read(storage, 1, offer);
            best = StoredBytes.Newest(valid0, writes0, valid1, StoredBytes.ReadUInt32(_header, 4));

            // A copy not valid may be one that does not read, and then it may be the newest. Then the newest valid
            // copy is read again (the second read overwrote the first's bytes); it was whole a moment ago, so only a
            // read can fail it.
            ReadError = valid0 && valid1 ? StorageStatus.Ok : StoredBytes.EitherReadError(storage, Areas[0], Areas[1], _header);
            if (ReadError == StorageStatus.Ok && best >= 0 && !Read(storage, best, offer))
            {
                ReadError = StorageStatus.Failed;
            }
        }

        if (best < 0 || ReadError != StorageStatus.Ok)
        {
            offer.Clear();
            return false;
        }

        _current = best;
        _writes = StoredBytes.ReadUInt32(_header, 4);
        Sequence = StoredBytes.ReadUInt32(_header, 8);
        Stage = (OfferStage)_header[12];
        Reason = (CotaStatus)_header[13];
        if (Stage == OfferStage.None)
        {
            offer.Clear();
            return true;
        }

        int idLength = _header[14];
        System.Array.Copy(_header, 20, _digest, 0, ConfigOffer.DigestLength);
        System.Array.Copy(_header, 52, _id, 0, ConfigOffer.MaxConfigIdLength);
        int urlLength = StoredBytes.ReadUInt16(_header, 116);
        if (!offer.Restore(_id, 0, idLength, StoredBytes.ReadUInt32(_header, 16), _digest, 0, urlLength))
        {
            Stage = OfferStage.None;
        }

        return true;
    }

    /// <summary>Writes <see cref="Sequence"/>, <see cref="Stage"/>, <see cref="Reason"/> and <paramref name="offer"/> (ignored for <see cref="OfferStage.None"/>) as the newest record.</summary>
    /// <returns><see cref="StorageStatus.Ok"/>, or why a write failed (the previous record stands; <see cref="StorageStatus.NewerRecord"/> when <see cref="Newer"/>, <see cref="ReadError"/> when set).</returns>
    internal StorageStatus Save(IStorage storage, ConfigOffer offer)
    {
        if (Newer)
        {
            return StorageStatus.NewerRecord;
        }

        if (ReadError != StorageStatus.Ok)
        {
            return ReadError;
        }

        byte[] h = _header;
        StoredBytes.Begin(h, HeaderSize, Magic, _writes + 1);
        StoredBytes.WriteUInt32(h, 8, Sequence);
        h[12] = (byte)Stage;
        h[13] = (byte)Reason;
        int urlLength = 0;
        byte[] url = offer.UrlBuffer;
        if (Stage != OfferStage.None)
        {
            h[14] = (byte)offer.CopyConfigId(h, 52);
            StoredBytes.WriteUInt32(h, 16, (uint)offer.Size);
            offer.CopyDigest(h, 20);
            urlLength = offer.UrlLength;
        }

        StoredBytes.WriteUInt16(h, 116, urlLength);
        uint crc = Crc32.Update(Crc32.Initial, h, 0, CrcAt);
        crc = Crc32.Update(crc, url, 0, urlLength);
        StoredBytes.WriteUInt32(h, CrcAt, crc);

        // Header, then URL: a cut between them leaves a record whose CRC fails, and the other copy stands.
        int target = 1 - _current;
        string area = Areas[target];
        StorageStatus status = storage.Write(area, 0, h, 0, HeaderSize);

        if (status == StorageStatus.Ok && urlLength > 0)
        {
            status = storage.Write(area, HeaderSize, url, 0, urlLength);
        }

        if (status == StorageStatus.Ok)
        {
            _writes++;
            _current = target;
        }

        return status;
    }

    // Reads copy into _header and its URL into the offer's buffer; true when the magic and the CRC hold.
    private bool Read(IStorage storage, int copy, ConfigOffer offer)
    {
        string area = Areas[copy];
        if (!StoredBytes.ReadTagged(storage, area, 0, _header, HeaderSize, Magic))
        {
            return false;
        }

        int urlLength = StoredBytes.ReadUInt16(_header, 116);
        byte[] url = offer.UrlBuffer;
        if (urlLength > url.Length || _header[14] > ConfigOffer.MaxConfigIdLength
            || !StoredBytes.ReadFully(storage, area, HeaderSize, url, 0, urlLength))
        {
            return false;
        }

        uint crc = Crc32.Update(Crc32.Initial, _header, 0, CrcAt);
        crc = Crc32.Update(crc, url, 0, urlLength);
        return crc == StoredBytes.ReadUInt32(_header, CrcAt);
    }
}
