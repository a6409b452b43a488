using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Text;

namespace CotaFirmware.Cota;

/// <summary>
/// A parsed thing.config.push or get_reply: a push's id (its raw JSON token, to echo), a reply's code and the six
/// config fields, read in place from the MQTT receive buffer into fixed buffers.
/// </summary>
/// <remarks>
/// <para>A push is read whole (<see cref="ParsePush"/>). A get_reply's envelope was read by LinkKit, which hands up its
/// id, code and a view of its <c>data</c>: only that view is read here (<see cref="ParseReply"/>).</para>
/// <para>Fields may come in any order; unknown fields are ignored; <c>method</c> is not required. A push's <c>id</c> may be a
/// string or a number; its raw token is kept so the ack has the same JSON type. Rules: configId 1..
/// <see cref="ConfigOffer.MaxConfigIdLength"/> bytes; configSize an integer (number or digit string) from 0 to the
/// maximum given to <see cref="ParsePush"/> or <see cref="ParseReply"/>; getType <c>file</c>; signMethod <c>Sha256</c> in any case (Md5 is refused:
/// the core has no MD5, and a 128-bit digest is too weak to verify a config); sign 64 hex digits, either case; url
/// 1..<see cref="MaxUrlLength"/> bytes.</para>
/// <para>The field views stay valid until the next parse. Parsing allocates nothing: the problem texts
/// are constants.</para>
/// </remarks>
public sealed partial class ConfigMessage
{
    /// <summary>The longest raw id token kept (quotes included for a string id).</summary>
    public const int MaxIdTokenLength = 40;

    /// <summary>The SHA-256 sign length in hex digits.</summary>
    public const int SignLength = 64;

    private const int ShortFieldLength = 16;

    // The config's names, as bytes (the envelope's are LinkKit's EnvelopeNames); CotaService writes the get request with two.
    private static readonly byte[] ConfigIdName = Utf8.GetBytes("configId");
    private static readonly byte[] ConfigSizeName = Utf8.GetBytes("configSize");
    internal static readonly byte[] GetTypeName = Utf8.GetBytes("getType");
    private static readonly byte[] SignName = Utf8.GetBytes("sign");
    private static readonly byte[] SignMethodName = Utf8.GetBytes("signMethod");
    private static readonly byte[] UrlName = Utf8.GetBytes("url");
    internal static readonly byte[] FileValue = Utf8.GetBytes("file");
    private const string TooLargeProblem = "message larger than the device's receive buffer";

    private readonly JsonReader _reader = new JsonReader(null, 16);
    private readonly byte[] _idToken = new byte[MaxIdTokenLength];
    private readonly byte[] _configId = new byte[ConfigOffer.MaxConfigIdLength];
    private readonly byte[] _getType = new byte[ShortFieldLength];
    private readonly byte[] _signMethod = new byte[ShortFieldLength];
    private readonly byte[] _sign = new byte[SignLength];
    private readonly byte[] _url;
    private int _idBeforeError;
    private int _idEnd;
    private int _signLength;
    private bool _badSize;
    private bool _hasFields;
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

    /// <summary>What the last parse read: a push or a get_reply.</summary>
    public ConfigMessageKind Kind => _kind;

    /// <summary>The result of the last parse.</summary>
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
    /// Parses <paramref name="count"/> bytes of <paramref name="payload"/> at <paramref name="offset"/> as a whole push,
    /// in place; configSize above <paramref name="maxConfigSize"/> is a parameter error.
    /// </summary>
    /// <returns><see cref="CotaStatus.Ok"/> for a valid offer, or why it was refused (also in <see cref="Status"/>;
    /// <see cref="PushReplyCode"/> gives the ack's code). Never throws on any input.</returns>
    public CotaStatus ParsePush(byte[] payload, int offset, int count, long maxConfigSize)
    {
        Clear(ConfigMessageKind.Push, 0);
        bool idPresent = false;
        JsonReader r = _reader;
        r.Begin(payload, offset, count);
        if (!r.Read() || r.TokenKind != JsonTokenKind.BeginObject)
        {
            return Refuse(CotaStatus.Malformed, "not a JSON object");
        }

        while (r.Read())
        {
            if (r.TokenKind != JsonTokenKind.PropertyName)
            {
                continue;
            }

            if (r.ValueEquals(EnvelopeNames.Id))
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
                    _idEnd = r.TokenIndex + r.TokenLength;
                }
                else
                {
                    r.Skip();
                }
            }
            else if (!_hasFields && r.ValueEquals(EnvelopeNames.Params))
            {
                if (!r.Read())
                {
                    break;
                }

                _hasFields = r.TokenKind == JsonTokenKind.BeginObject;
                if (_hasFields)
                {
                    ReadFields(r, 2);
                }
                else
                {
                    r.Skip();
                }
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

        return _hasFields ? Check(maxConfigSize) : Refuse(CotaStatus.Malformed, "params object missing");
    }

    /// <summary>
    /// Parses a get_reply from what LinkKit read of it: its <paramref name="code"/> and the view of its <c>data</c>
    /// value (<paramref name="count"/> bytes of <paramref name="data"/> at <paramref name="offset"/>, empty when it had none).
    /// </summary>
    /// <returns><see cref="CotaStatus.Ok"/> for a valid offer, <see cref="CotaStatus.NoConfig"/> for a code other than
    /// 200, or why it was refused (also in <see cref="Status"/>). Never throws on any input.</returns>
    public CotaStatus ParseReply(int code, byte[] data, int offset, int count, long maxConfigSize)
    {
        Clear(ConfigMessageKind.GetReply, code);
        if (code != 200)
        {
            _status = CotaStatus.NoConfig;
            _problem = "get_reply carries no config";
            return Status;
        }

        if (ReadData(data, offset, count) != JsonError.None)
        {
            return Refuse(CotaStatus.Malformed, "not valid JSON");
        }

        return _hasFields ? Check(maxConfigSize) : Refuse(CotaStatus.Malformed, "data object missing");
    }

    /// <summary>
    /// Reads what it can of a push that was larger than the receive buffer, from the <paramref name="count"/> bytes that fit:
    /// the id (to answer it) and, when it came first, the configId.
    /// </summary>
    /// <param name="prefix">The start of the message.</param>
    /// <param name="offset">Where it starts in <paramref name="prefix"/>.</param>
    /// <param name="count">How many bytes fit.</param>
    /// <param name="totalSize">The message's whole size in bytes.</param>
    /// <returns><see cref="CotaStatus.MessageTooLarge"/> (also in <see cref="Status"/>); <see cref="IdTokenLength"/> and <see cref="ConfigIdLength"/> are 0 when not readable.</returns>
    public CotaStatus ParsePushPrefix(byte[] prefix, int offset, int count, int totalSize)
    {
        _idBeforeError = 0;
        ParsePush(prefix, offset, count, long.MaxValue);
        if (IdTokenLength == 0)
        {
            _idTokenLength = _idBeforeError;
        }

        // A number that runs to the end of the part that fit may have been cut short (12 of 1234): not the push's id.
        if (_idTokenLength > 0 && _idEnd == offset + count && _idToken[0] != '"')
        {
            _idTokenLength = 0;
        }

        return Cut(CotaStatus.MessageTooLarge, TooLargeProblem, totalSize);
    }

    /// <summary>
    /// Reads what it can of a get_reply that could not be taken, from the part of its <c>data</c> that LinkKit handed
    /// up: the configId when it came first, to name the result.
    /// </summary>
    /// <param name="status"><see cref="CotaStatus.MessageTooLarge"/> (larger than the receive buffer) or <see cref="CotaStatus.Malformed"/> (not a valid envelope).</param>
    /// <param name="data">The buffer holding the part of data.</param>
    /// <param name="offset">Where it starts.</param>
    /// <param name="count">How many bytes of it arrived (0: none).</param>
    /// <param name="messageSize">The reply's whole size in bytes (0 when not known).</param>
    /// <returns><paramref name="status"/> (also in <see cref="Status"/>); <see cref="ConfigIdLength"/> is 0 when not readable.</returns>
    public CotaStatus ParseReplyPart(CotaStatus status, byte[] data, int offset, int count, int messageSize)
    {
        Clear(ConfigMessageKind.GetReply, -1);
        ReadData(data, offset, count);
        return Cut(status, status == CotaStatus.MessageTooLarge ? TooLargeProblem : "not a valid reply envelope", messageSize);
    }

    /// <summary>The whole size of the message that was too large (<see cref="ParsePushPrefix"/>, <see cref="ParseReplyPart"/>); 0 otherwise.</summary>
    public int MessageSize => _messageSize;

    /// <summary>The push_reply code for <paramref name="status"/>: 200 for a valid offer, 400 for a message that could not be read, 460 for a field refused, 429 (<see cref="CotaStatus.StoreFailed"/>) for a valid offer the device cannot take now.</summary>
    public static int PushReplyCode(CotaStatus status)
    {
        switch (status)
        {
            case CotaStatus.Ok:
                return 200;
            case CotaStatus.Malformed:
            case CotaStatus.MessageTooLarge:
                return 400;
            case CotaStatus.StoreFailed:
                // A valid offer the device cannot take now: "too many requests", to be pushed again.
                return 429;
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

    private void Clear(ConfigMessageKind kind, int code)
    {
        _kind = kind;
        _problem = null;
        _code = code;
        _idTokenLength = 0;
        _configIdLength = -1;
        _configSize = -1;
        _getTypeLength = -1;
        _signMethodLength = -1;
        _signLength = -1;
        _urlLength = -1;
        _badSize = false;
        _hasFields = false;
        _messageSize = 0;
    }

    // A reply's data view as a document of its own: its members are the fields.
    private JsonError ReadData(byte[] data, int offset, int count)
    {
        if (count == 0)
        {
            return JsonError.None;
        }

        JsonReader r = _reader;
        r.Begin(data, offset, count);
        if (r.Read() && r.TokenKind == JsonTokenKind.BeginObject)
        {
            _hasFields = true;
            ReadFields(r, 1);
        }

        return r.Error;
    }

    // The config fields: the members at fieldDepth, up to the end of their object (other names are skipped with their values).
    private void ReadFields(JsonReader r, int fieldDepth)
    {
        while (r.Read())
        {
            if (r.TokenKind == JsonTokenKind.EndObject && r.Depth == fieldDepth - 1)
            {
                return;
            }

            if (r.TokenKind != JsonTokenKind.PropertyName)
            {
                continue;
            }

            if (r.ValueEquals(ConfigIdName))
            {
                _configIdLength = r.Read() ? CopyText(r, _configId) : -1;
            }
            else if (r.ValueEquals(ConfigSizeName))
            {
                long size = -1;
                bool ok = r.Read() && WireInteger.TryRead(r, out size) && size >= 0;
                _configSize = ok ? size : -1;
                _badSize = !ok;
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
                _signLength = r.Read() ? CopyText(r, _sign) : -1;
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
    }

    private CotaStatus Cut(CotaStatus status, string problem, int messageSize)
    {
        if (ConfigIdLength < 0)
        {
            _configIdLength = 0;
        }

        _messageSize = messageSize;
        return Refuse(status, problem);
    }

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

    private static string Text(byte[] b, int length) => length <= 0 ? string.Empty : Utf8.GetString(b, 0, length);
}
