using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Text;

namespace CotaFirmware.Cota;

/// <summary>
/// A parsed thing.config.push or get_reply: the message id (its raw JSON token, to echo), the reply code and the
/// six config fields, read in place from the MQTT receive buffer into fixed buffers.
/// </summary>
/// <remarks>
/// <para>Fields may come in any order; unknown fields are ignored; <c>method</c> is not required. <c>id</c> may be a
/// string or a number; its raw token is kept so the ack has the same JSON type. Rules: configId 1..
/// <see cref="ConfigOffer.MaxConfigIdLength"/> bytes; configSize an integer (number or digit string) from 0 to the
/// maximum given to <see cref="Parse"/>; getType <c>file</c>; signMethod <c>Sha256</c> in any case (Md5 is refused:
/// the core has no MD5, and a 128-bit digest is too weak to verify a config); sign 64 hex digits, either case; url
/// 1..<see cref="MaxUrlLength"/> bytes.</para>
/// <para>The field views stay valid until the next <see cref="Parse"/>. Parsing allocates nothing: the problem texts
/// are constants.</para>
/// </remarks>
public sealed class ConfigMessage
{
    /// <summary>The longest raw id token kept (quotes included for a string id).</summary>
    public const int MaxIdTokenLength = 40;

    /// <summary>The SHA-256 sign length in hex digits.</summary>
    public const int SignLength = 64;

    private const int ShortFieldLength = 16;

    // The message names, as bytes; CotaService writes the get request and the push_reply with the same ones.
    internal static readonly byte[] IdName = Utf8.GetBytes("id");
    internal static readonly byte[] CodeName = Utf8.GetBytes("code");
    private static readonly byte[] ParamsName = Utf8.GetBytes("params");
    internal static readonly byte[] DataName = Utf8.GetBytes("data");
    private static readonly byte[] ConfigIdName = Utf8.GetBytes("configId");
    private static readonly byte[] ConfigSizeName = Utf8.GetBytes("configSize");
    internal static readonly byte[] GetTypeName = Utf8.GetBytes("getType");
    private static readonly byte[] SignName = Utf8.GetBytes("sign");
    private static readonly byte[] SignMethodName = Utf8.GetBytes("signMethod");
    private static readonly byte[] UrlName = Utf8.GetBytes("url");
    internal static readonly byte[] FileValue = Utf8.GetBytes("file");

    private readonly JsonReader _reader = new JsonReader(null, 16);
    private readonly byte[] _idToken = new byte[MaxIdTokenLength];
    private readonly byte[] _configId = new byte[ConfigOffer.MaxConfigIdLength];
    private readonly byte[] _getType = new byte[ShortFieldLength];
    private readonly byte[] _signMethod = new byte[ShortFieldLength];
    private readonly byte[] _sign = new byte[SignLength];
    private readonly byte[] _url;
    private int _idBeforeError;
    private ConfigMessageKind _kind;
    private CotaStatus _status;
    private string _problem;
    private int _code;
    private int _idTokenLength;
    private int _configIdLength;
    private long _configSize;
    private int _getTypeLength;
    private int _signMethodLength;
    private int _urlLength;
    private int _messageSize;

    /// <summary>Creates a message whose url may hold up to <paramref name="maxUrlLength"/> bytes (size it like the MQTT receive buffer).</summary>
    public ConfigMessage(int maxUrlLength)
    {
        if (maxUrlLength < 16)
        {
            throw new System.ArgumentOutOfRangeException("maxUrlLength");
        }

        _url = new byte[maxUrlLength];
    }

    /// <summary>The kind given to the last <see cref="Parse"/>.</summary>
    public ConfigMessageKind Kind => _kind;

    /// <summary>The result of the last <see cref="Parse"/>.</summary>
    public CotaStatus Status => _status;

    /// <summary>Why the message was refused (a constant, safe to log and to send as the ack's <c>message</c>); null when accepted.</summary>
    public string Problem => _problem;

    /// <summary>The get_reply's <c>code</c> (-1 when absent or not an integer); 0 for a push.</summary>
    public int Code => _code;

    /// <summary>The longest url this message holds.</summary>
    public int MaxUrlLength => _url.Length;

    /// <summary>The raw JSON token of <c>id</c> (a string with its quotes, or a number); see <see cref="IdTokenLength"/>.</summary>
    public byte[] IdToken => _idToken;

    /// <summary>The length of <see cref="IdToken"/>; 0 when the message had no usable id.</summary>
    public int IdTokenLength => _idTokenLength;

    /// <summary>The configId bytes (UTF-8, unescaped); see <see cref="ConfigIdLength"/>.</summary>
    public byte[] ConfigId => _configId;

    /// <summary>The length of <see cref="ConfigId"/>.</summary>
    public int ConfigIdLength => _configIdLength;

    /// <summary>configSize in bytes; -1 when absent.</summary>
    public long ConfigSize => _configSize;

    /// <summary>The length of the getType value; -1 when absent.</summary>
    public int GetTypeLength => _getTypeLength;

    /// <summary>The signMethod bytes as sent (any case); see <see cref="SignMethodLength"/>.</summary>
    public byte[] SignMethod => _signMethod;

    /// <summary>The length of <see cref="SignMethod"/>.</summary>
    public int SignMethodLength => _signMethodLength;

    /// <summary>The sign as sent (64 hex digits, either case); see <see cref="SignLength"/>.</summary>
    public byte[] Sign => _sign;

    /// <summary>The url bytes (unescaped); see <see cref="UrlLength"/>. It carries a signed query: never log it.</summary>
    public byte[] Url => _url;

    /// <summary>The length of <see cref="Url"/>.</summary>
    public int UrlLength => _urlLength;

    /// <summary>
    /// Parses <paramref name="count"/> bytes of <paramref name="payload"/> at <paramref name="offset"/> as a message of
    /// <paramref name="kind"/>, in place; configSize above <paramref name="maxConfigSize"/> is a parameter error.
    /// </summary>
    /// <returns><see cref="CotaStatus.Ok"/> for a valid offer, <see cref="CotaStatus.NoConfig"/> for a get_reply without one,
    /// or why it was refused (also in <see cref="Status"/>; <see cref="PushReplyCode"/> gives the ack's code). Never throws on any input.</returns>
    public CotaStatus Parse(ConfigMessageKind kind, byte[] payload, int offset, int count, long maxConfigSize)
    {
        _kind = kind;
        _problem = null;
        _code = kind == ConfigMessageKind.Push ? 0 : -1;
        _idTokenLength = 0;
        _configIdLength = -1;
        _configSize = -1;
        _getTypeLength = -1;
        _signMethodLength = -1;
        _urlLength = -1;
        int signLength = -1;
        bool badSize = false;
        bool idPresent = false;
        bool hasFields = false;

        JsonReader r = _reader;
        r.Begin(payload, offset, count);
        if (!r.Read() || r.TokenKind != JsonTokenKind.BeginObject)
        {
            return Refuse(CotaStatus.Malformed, "not a JSON object");
        }

        byte[] fieldsName = kind == ConfigMessageKind.Push ? ParamsName : DataName;
        while (r.Read())
        {
            if (r.TokenKind != JsonTokenKind.PropertyName)
            {
                continue;
            }

            if (r.Depth == 1)
            {
                if (r.ValueEquals(IdName))
                {
                    idPresent = true;
                    if (!r.Read())
                    {
                        break;
                    }

                    JsonTokenKind k = r.TokenKind;
                    _idTokenLength = 0;
                    if ((k == JsonTokenKind.String || k == JsonTokenKind.Number) && r.TokenLength <= MaxIdTokenLength)
                    {
                        System.Array.Copy(r.TokenBuffer, r.TokenIndex, _idToken, 0, r.TokenLength);
                        _idTokenLength = r.TokenLength;
                    }
                    else
                    {
                        r.Skip();
                    }
                }
                else if (kind == ConfigMessageKind.GetReply && r.ValueEquals(CodeName))
                {
                    long code;
                    _code = r.Read() && WireInteger.TryRead(r, out code) && code >= int.MinValue && code <= int.MaxValue ? (int)code : -1;
                    r.Skip();
                }
                else if (!hasFields && r.ValueEquals(fieldsName))
                {
                    if (!r.Read())
                    {
                        break;
                    }

                    hasFields = r.TokenKind == JsonTokenKind.BeginObject;
                    if (!hasFields)
                    {
                        r.Skip();
                    }
                }
                else
                {
                    r.Skip();
                }

                continue;
            }

            // Depth 2: members of params/data (other depth-2 names were skipped with their containers).
            if (r.ValueEquals(ConfigIdName))
            {
                _configIdLength = r.Read() ? CopyText(r, _configId) : -1;
            }
            else if (r.ValueEquals(ConfigSizeName))
            {
                long size = -1;
                bool ok = r.Read() && WireInteger.TryRead(r, out size) && size >= 0;
                _configSize = ok ? size : -1;
                badSize = !ok;
                r.Skip();
            }
            else if (r.ValueEquals(GetTypeName))
            {
                _getTypeLength = r.Read() ? CopyText(r, _getType) : -1;
            }
            else if (r.ValueEquals(SignMethodName))
            {
                _signMethodLength = r.Read() ? CopyText(r, _signMethod) : -1;
            }
            else if (r.ValueEquals(SignName))
            {
                signLength = r.Read() ? CopyText(r, _sign) : -1;
            }
            else if (r.ValueEquals(UrlName))
            {
                _urlLength = r.Read() ? CopyText(r, _url) : -1;
            }
            else
            {
                r.Skip();
            }
        }

        if (r.Error != JsonError.None)
        {
            _idBeforeError = IdTokenLength;
            _idTokenLength = 0;
            return Refuse(CotaStatus.Malformed, "not valid JSON");
        }

        if (IdTokenLength == 0)
        {
            return Refuse(CotaStatus.Malformed, idPresent ? "id is not a short string or number" : "id missing");
        }

        if (kind == ConfigMessageKind.GetReply && Code != 200)
        {
            _status = CotaStatus.NoConfig;
            _problem = "get_reply carries no config";
            return Status;
        }

        if (!hasFields)
        {
            return Refuse(CotaStatus.Malformed, kind == ConfigMessageKind.Push ? "params object missing" : "data object missing");
        }

        if (ConfigIdLength < 1)
        {
            return Refuse(CotaStatus.ConfigIdInvalid, "configId missing, empty or longer than 64 bytes");
        }

        if (badSize || ConfigSize < 0)
        {
            return Refuse(CotaStatus.ConfigSizeInvalid, "configSize missing or not a non-negative integer");
        }

        if (GetTypeLength != FileValue.Length || !SameAscii(_getType, FileValue, false))
        {
            return Refuse(CotaStatus.GetTypeNotFile, "getType is not file");
        }

        if (!IsSha256(_signMethod, SignMethodLength))
        {
            return Refuse(CotaStatus.SignMethodUnsupported, SignMethodLength == 3 && (_signMethod[0] | 0x20) == 'm'
                && (_signMethod[1] | 0x20) == 'd' && _signMethod[2] == '5'
                ? "signMethod Md5 is not supported" : "signMethod is not Sha256");
        }

        if (signLength != SignLength || !IsHex(_sign))
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

    /// <summary>
    /// Reads what it can of a message that was larger than the receive buffer, from the <paramref name="count"/> bytes that fit:
    /// the id (to answer a push) and, when it came first, the configId (to name a get_reply's result).
    /// </summary>
    /// <param name="kind">Push or get_reply.</param>
    /// <param name="prefix">The start of the message.</param>
    /// <param name="offset">Where it starts in <paramref name="prefix"/>.</param>
    /// <param name="count">How many bytes fit.</param>
    /// <param name="totalSize">The message's whole size in bytes.</param>
    /// <returns><see cref="CotaStatus.MessageTooLarge"/> (also in <see cref="Status"/>); <see cref="IdTokenLength"/> and <see cref="ConfigIdLength"/> are 0 when not readable.</returns>
    public CotaStatus ParsePrefix(ConfigMessageKind kind, byte[] prefix, int offset, int count, int totalSize)
    {
        _idBeforeError = 0;
        Parse(kind, prefix, offset, count, long.MaxValue);
        if (IdTokenLength == 0)
        {
            _idTokenLength = _idBeforeError;
        }

        if (ConfigIdLength < 0)
        {
            _configIdLength = 0;
        }

        _status = CotaStatus.MessageTooLarge;
        _problem = "message larger than the device's receive buffer";
        _messageSize = totalSize;
        return Status;
    }

    /// <summary>The whole size of the message <see cref="ParsePrefix"/> read the start of.</summary>
    public int MessageSize => _messageSize;

    /// <summary>The push_reply code for <paramref name="status"/>: 200 for a valid offer, 400 for a message that could not be read, 460 for a field refused.</summary>
    public static int PushReplyCode(CotaStatus status)
    {
        switch (status)
        {
            case CotaStatus.Ok:
                return 200;
            case CotaStatus.Malformed:
            case CotaStatus.MessageTooLarge:
                return 400;
            default:
                return 460;
        }
    }

    /// <summary>Copies the message's config into <paramref name="offer"/>: a valid one, or one refused only as <see cref="CotaStatus.TooLarge"/> (to remember and report it).</summary>
    /// <returns>True when the offer took it (it re-checks every field).</returns>
    public bool CopyTo(ConfigOffer offer)
    {
        if (Status != CotaStatus.Ok && Status != CotaStatus.TooLarge)
        {
            return false;
        }

        return offer.Set(_configId, 0, ConfigIdLength, ConfigSize, _sign, 0, SignLength, _url, 0, UrlLength);
    }

    /// <summary>The configId as a string, for logs and application callbacks (allocates).</summary>
    public string ConfigIdText() => Text(_configId, ConfigIdLength);

    /// <summary>The url as a string (allocates; it holds a signed query, so never log it).</summary>
    public string UrlText() => Text(_url, UrlLength);

    private CotaStatus Refuse(CotaStatus status, string problem)
    {
        _status = status;
        _problem = problem;
        return status;
    }

    // Copies a string value; -1 when it is not a string or does not fit (the value is skipped either way).
    private static int CopyText(JsonReader r, byte[] into)
    {
        if (r.TokenKind != JsonTokenKind.String)
        {
            r.Skip();
            return -1;
        }

        return r.CopyString(into, 0, into.Length);
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

    private static bool SameAscii(byte[] a, byte[] b, bool ignoreCase)
    {
        for (int i = 0; i < b.Length; i++)
        {
            int x = a[i];
            int y = b[i];
            if (ignoreCase)
            {
                x |= 0x20;
                y |= 0x20;
            }

            if (x != y)
            {
                return false;
            }
        }

        return true;
    }

    private static string Text(byte[] b, int length) => length <= 0 ? string.Empty : Utf8.GetString(b, 0, length);
}
