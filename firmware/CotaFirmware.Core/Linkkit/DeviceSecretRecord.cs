using System;
using CotaFirmware.Crypto;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Linkkit;

/// <summary>The DeviceSecret that dynamic registration obtained, kept in flash as safely as the config.</summary>
/// <remarks>
/// Two sealed copies (<see cref="Areas"/>, <see cref="StoredBytes"/> framing): magic "LKS2" (version 2 of this record),
/// sequence, the lengths of ProductKey, DeviceName and DeviceSecret, one reserved byte, the three fields in fixed
/// places, and a CRC-32. A device reads the newest sealed copy that names it, so a boot under another name (a typo)
/// leaves its own copy readable; a save overwrites the copy not holding this device's newest record (when neither
/// names it, the older one), so a power cut leaves the old secret or the new one. Version 1, the first release's text
/// record <c>{pk}\n{dn}\n{secret}\n</c> in <see cref="LegacyArea"/>, is still read; the next save deletes it. A record
/// of another device is never used.
/// </remarks>
public sealed class DeviceSecretRecord
{
    /// <summary>The storage area of the first release's single text record (version 1): read, moved into <see cref="Areas"/>, then deleted.</summary>
    public const string LegacyArea = "lk_secret";

    /// <summary>The two storage areas holding a copy each of the obtained secret.</summary>
    public static readonly string[] Areas = { "lk_secret0", "lk_secret1" };

    private const uint Magic = 0x32534B4C; // "LKS2" in its bytes: type "LKS", version '2'
    private const int Version = '2';
    private const int ProductKeyAt = 12;
    private const int DeviceNameAt = ProductKeyAt + DeviceIdentity.MaxProductKeyLength;
    private const int SecretAt = DeviceNameAt + DeviceIdentity.MaxDeviceNameLength;
    private const int CrcAt = SecretAt + DeviceIdentity.MaxSecretLength;
    private const int RecordSize = CrcAt + 4;
    private const int LegacyCapacity = DeviceIdentity.MaxProductKeyLength + DeviceIdentity.MaxDeviceNameLength + DeviceIdentity.MaxSecretLength + 3;

    private readonly IStorage _storage;
    private readonly byte[] _record = new byte[RecordSize]; // a sealed copy; the first format's text (LegacyCapacity) fits too

    internal DeviceSecretRecord(IStorage storage)
    {
        _storage = storage;
    }

    /// <summary>True when some area holds bytes, readable or not.</summary>
    internal bool AnyStored => _storage.Length(Areas[0]) > 0 || _storage.Length(Areas[1]) > 0 || _storage.Length(LegacyArea) > 0;

    internal bool HoldsNewer()
    {
        return StoredBytes.EitherHoldsNewer(_storage, Areas[0], Areas[1], 0, _record, Magic, 3, Version);
    }

    /// <summary>The secret of the newest sealed copy that names <paramref name="identity"/>; null when none does.</summary>
    internal string Read(DeviceIdentity identity)
    {
        string secret = null;
        if (CopyOf(identity) >= 0)
        {
            secret = Utf8.GetString(_record, SecretAt, _record[10]);
            if (!DeviceIdentity.IsSecret(secret))
            {
                secret = null;
            }
        }

        Array.Clear(_record, 0, _record.Length);
        return secret;
    }

    // Which copy holds identity's newest sealed record (0 or 1; _record then holds it), or -1.
    private int CopyOf(DeviceIdentity identity)
    {
        // Arguments are evaluated left to right: each sequence is read just after its copy.
        int copy = StoredBytes.Newest(Names(0, identity), StoredBytes.ReadUInt32(_record, 4), Names(1, identity), StoredBytes.ReadUInt32(_record, 4));
        return copy != 0 || Names(0, identity) ? copy : -1;
    }

    private bool Names(int copy, DeviceIdentity identity)
    {
        return StoredBytes.ReadSealed(_storage, Areas[copy], 0, _record, Magic)
            && FieldIs(identity.ProductKey, ProductKeyAt, _record[8], DeviceIdentity.MaxProductKeyLength)
            && FieldIs(identity.DeviceName, DeviceNameAt, _record[9], DeviceIdentity.MaxDeviceNameLength)
            && _record[10] <= DeviceIdentity.MaxSecretLength;
    }

    private bool FieldIs(string text, int at, int length, int max)
    {
        return length <= max && Utf8.TextEquals(text, _record, at, length);
    }

    /// <summary>The secret of the first release's record <c>{pk}\n{dn}\n{secret}\n</c>, when it is <paramref name="identity"/>'s; null otherwise.</summary>
    internal string ReadLegacy(DeviceIdentity identity)
    {
        int length = _storage.Length(LegacyArea);
        if (length <= 0 || length > LegacyCapacity)
        {
            return null;
        }

        int read = 0;
        while (read < length)
        {
            int r = _storage.Read(LegacyArea, read, _record, read, length - read);
            if (r <= 0)
            {
                Array.Clear(_record, 0, _record.Length);
                return null;
            }

            read += r;
        }

        byte[] pk = Utf8.GetBytes(identity.ProductKey);
        byte[] dn = Utf8.GetBytes(identity.DeviceName);
        string secret = null;
        int secretStart = pk.Length + dn.Length + 2;
        if (length > secretStart + 1 && _record[length - 1] == '\n' && Matches(pk, 0) && _record[pk.Length] == '\n'
            && Matches(dn, pk.Length + 1) && _record[secretStart - 1] == '\n')
        {
            secret = Utf8.GetString(_record, secretStart, length - 1 - secretStart);
            if (!DeviceIdentity.IsSecret(secret))
            {
                secret = null;
            }
        }

        Array.Clear(_record, 0, _record.Length);
        return secret;
    }

    private bool Matches(byte[] text, int at)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (_record[at + i] != text[i])
            {
                return false;
            }
        }

        return true;
    }

    // A new sealed copy over the one not holding this device's newest record (when neither names it, the older one),
    // then the first format's record goes: a power cut at any point leaves the old secret or the new one.
    internal bool Store(DeviceIdentity identity)
    {
        if (HoldsNewer())
        {
            return false;
        }

        int own = CopyOf(identity);
        int newest = StoredBytes.ReadNewest(_storage, Areas[0], Areas[1], 0, _record, Magic);
        uint sequence = newest < 0 ? 1 : StoredBytes.ReadUInt32(_record, 4) + 1;
        int target = own >= 0 ? 1 - own : newest == 0 ? 1 : 0;
        StoredBytes.Begin(_record, _record.Length, Magic, sequence);
        _record[8] = (byte)Utf8.Encode(identity.ProductKey, _record, ProductKeyAt);
        _record[9] = (byte)Utf8.Encode(identity.DeviceName, _record, DeviceNameAt);
        _record[10] = (byte)Utf8.Encode(identity.DeviceSecret, _record, SecretAt);
        StoredBytes.Seal(_record, CrcAt);
        bool ok = _storage.Write(Areas[target], 0, _record, 0, RecordSize) == StorageStatus.Ok
            && _storage.Delete(LegacyArea) == StorageStatus.Ok;
        Array.Clear(_record, 0, _record.Length);
        return ok;
    }
}
