using CotaFirmware.Crypto;

namespace CotaFirmware.Cota;

// The rules an offer's fields must meet once read: what each refusal is named, checked without allocating.
public sealed partial class ConfigMessage
{
    /// <summary>The rules every offered field must meet, in the order their refusals are named.</summary>
    private CotaStatus Check(long maxConfigSize)
    {
        if (ConfigIdLength < 1)
        {
            return Refuse(CotaStatus.ConfigIdInvalid, "configId missing, empty or longer than 64 bytes");
        }

        if (_badSize || ConfigSize < 0)
        {
            return Refuse(CotaStatus.ConfigSizeInvalid, "configSize missing or not a non-negative integer");
        }

        if (GetTypeLength != FileValue.Length || !ConstantTime.AreEqual(_getType, 0, FileValue.Length, FileValue, 0, FileValue.Length))
        {
            return Refuse(CotaStatus.GetTypeNotFile, "getType is not file");
        }

        if (!IsSha256(_signMethod, SignMethodLength))
        {
            return Refuse(CotaStatus.SignMethodUnsupported, SignMethodLength == 3 && (_signMethod[0] | 0x20) == 'm'
                && (_signMethod[1] | 0x20) == 'd' && _signMethod[2] == '5'
                ? "signMethod Md5 is not supported" : "signMethod is not Sha256");
        }

        if (_signLength != SignLength || !IsHex(_sign))
        {
            return Refuse(CotaStatus.SignInvalid, "sign is not 64 hex digits");
        }

        if (UrlLength < 1)
        {
            return Refuse(CotaStatus.UrlInvalid, "url missing or too long");
        }

        if (!IsPrintableAscii(_url, UrlLength))
        {
            return Refuse(CotaStatus.UrlInvalid, "url is not printable ASCII");
        }

        if (ConfigSize > maxConfigSize)
        {
            return Refuse(CotaStatus.TooLarge, "configSize exceeds the device maximum");
        }

        _status = CotaStatus.Ok;
        return Status;
    }

    // 8 bytes per step for the ~800-byte url: a top bit in the mask marks a byte below 0x21 (a borrow out of the
    // subtraction) or above 0x7E (a carry into, or a top bit of, its own); each test answers exactly whether any is.
    private static bool IsPrintableAscii(byte[] b, int count)
    {
        int i = 0;
        for (; i <= count - 8; i += 8)
        {
            ulong v = System.BitConverter.ToUInt64(b, i);
            ulong outside = ((v - 0x2121212121212121UL) & ~v) | (v + 0x0101010101010101UL) | v;
            if ((outside & 0x8080808080808080UL) != 0)
            {
                return false;
            }
        }

        for (; i < count; i++)
        {
            int c = b[i];
            if (c <= 0x20 || c >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSha256(byte[] b, int length)
    {
        return length == 6 && (b[0] | 0x20) == 's' && (b[1] | 0x20) == 'h' && (b[2] | 0x20) == 'a'
            && b[3] == '2' && b[4] == '5' && b[5] == '6';
    }

    private static bool IsHex(byte[] b)
    {
        for (int i = 0; i < SignLength; i++)
        {
            int c = b[i];
            int lower = c | 0x20;
            if (!((c >= '0' && c <= '9') || (lower >= 'a' && lower <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
