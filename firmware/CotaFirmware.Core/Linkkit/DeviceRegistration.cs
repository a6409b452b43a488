using System;
using CotaFirmware.Crypto;
using CotaFirmware.Json;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Linkkit;

/// <summary>
/// Dynamic registration (one secret per product): obtains the DeviceSecret from the platform with the
/// ProductSecret, stores it, and reuses the stored one on later boots.
/// </summary>
/// <remarks>
/// Each registration before activation issues a new secret, and an activated device cannot register again, so
/// the stored secret is what later boots must use. The record names the product and device it belongs to and ends
/// with a newline, so a record cut short by a power failure, or one of another device, is never used. Secrets
/// never reach the log.
/// </remarks>
public sealed class DeviceRegistration
{
    /// <summary>The storage area holding the obtained secret.</summary>
    public const string StorageName = "lk_secret";

    private const int ReplyCapacity = 1024;
    private const int RecordCapacity = DeviceIdentity.MaxProductKeyLength + DeviceIdentity.MaxDeviceNameLength + DeviceIdentity.MaxSecretLength + 3;

    private static readonly char[] UpperHex = { '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F' };

    private readonly IHttpClient _http;
    private readonly IStorage _storage;
    private readonly LinkkitSigner _signer;
    private readonly Random _random;
    private readonly ILog _log;
    private readonly byte[] _reply = new byte[ReplyCapacity];
    private readonly JsonReader _reader = new JsonReader(null);
    private static readonly byte[] CodeName = Utf8.GetBytes("code");
    private static readonly byte[] DataName = Utf8.GetBytes("data");
    private static readonly byte[] ProductKeyName = Utf8.GetBytes("productKey");
    private static readonly byte[] DeviceNameName = Utf8.GetBytes("deviceName");
    private static readonly byte[] DeviceSecretName = Utf8.GetBytes("deviceSecret");
    private readonly byte[] _record = new byte[RecordCapacity];
    private readonly byte[] _nonce = new byte[8];
    private int _lastCode;
    private int _lastHttpStatus;

    /// <summary>
    /// Creates a registration over the board's HTTP client, storage and HMAC. <paramref name="random"/> makes the
    /// request nonces: seed it from a board source of entropy, not from the clock alone.
    /// </summary>
    public DeviceRegistration(IHttpClient http, IStorage storage, IMac mac, Random random, ILog log)
    {
        if (http == null || storage == null || mac == null || random == null || log == null)
        {
            throw new ArgumentNullException(http == null ? nameof(http) : storage == null ? nameof(storage)
                : mac == null ? nameof(mac) : random == null ? nameof(random) : nameof(log));
        }

        _http = http;
        _storage = storage;
        _signer = new LinkkitSigner(mac);
        _random = random;
        _log = log;
        _lastCode = -1;
        _lastHttpStatus = 0;
    }

    /// <summary>The <c>code</c> of the last registration reply, or -1 when none was read.</summary>
    public int LastCode => _lastCode;

    /// <summary>The HTTP status (or negative <see cref="HttpStatus"/> code) of the last registration request, 0 before any.</summary>
    public int LastHttpStatus => _lastHttpStatus;

    /// <summary>How long one registration request may take, in milliseconds.</summary>
    public int TimeoutMs { get; set; } = 15000;

    /// <summary>
    /// Makes sure <paramref name="identity"/> has a DeviceSecret: keeps a given one, else reuses the stored one,
    /// else registers (<see cref="Register"/>).
    /// </summary>
    public RegistrationResult Obtain(DeviceIdentity identity, LinkkitSettings settings)
    {
        if (identity.DeviceSecret != null)
        {
            return identity.Validate(true) == LinkkitStatus.Ok ? RegistrationResult.Given : RegistrationResult.BadIdentity;
        }

        if (identity.Validate(false) != LinkkitStatus.Ok)
        {
            return RegistrationResult.BadIdentity;
        }

        string stored = ReadStored(identity);
        if (stored != null)
        {
            identity.DeviceSecret = stored;
            _log.Write(LogLevel.Info, "linkkit", "using the stored device secret of " + identity.ToString());
            return RegistrationResult.Reused;
        }

        return Register(identity, settings);
    }

    /// <summary>
    /// Asks the platform for a DeviceSecret (HTTPS form POST to the registration URL, with a fresh nonce), sets it
    /// on <paramref name="identity"/> and stores it.
    /// </summary>
    public RegistrationResult Register(DeviceIdentity identity, LinkkitSettings settings)
    {
        _lastCode = -1;
        _lastHttpStatus = 0;
        if (identity.Validate(false) != LinkkitStatus.Ok || !DeviceIdentity.IsSecret(identity.ProductSecret)
            || settings.Validate() != LinkkitStatus.Ok)
        {
            return RegistrationResult.BadIdentity;
        }

        _random.NextBytes(_nonce);
        string random = Hex.EncodeToString(_nonce, 0, _nonce.Length, false);
        string sign = _signer.SignRegistration(identity, random);
        if (sign == null)
        {
            return RegistrationResult.BadIdentity;
        }

        byte[] body = new byte[320];
        int n = 0;
        n = AppendForm(body, n, "productKey=", identity.ProductKey);
        n = AppendForm(body, n, "&deviceName=", identity.DeviceName);
        n = AppendForm(body, n, "&random=", random);
        n = AppendForm(body, n, "&sign=", sign);
        n = AppendForm(body, n, "&signMethod=", "hmacsha256");

        string url = LinkkitEndpoint.RegistrationUrl(settings);
        int status = _http.PostForm(url, body, 0, n, TimeoutMs);
        Array.Clear(body, 0, body.Length);
        _lastHttpStatus = status;
        if (status < 0)
        {
            _http.Close();
            _log.Write(LogLevel.Warning, "linkkit", "registration at " + url + " failed: " + PlatformNames.OfHttp(status));
            return RegistrationResult.NetworkError;
        }

        int length = 0;
        bool tooLong = false;
        bool broken = false;
        while (true)
        {
            if (length == _reply.Length)
            {
                byte[] probe = new byte[1];
                int extra = _http.Read(probe, 0, 1, TimeoutMs);
                tooLong = extra > 0;
                broken = extra < 0;
                break;
            }

            int r = _http.Read(_reply, length, _reply.Length - length, TimeoutMs);
            if (r == 0)
            {
                break;
            }

            if (r < 0)
            {
                broken = true;
                break;
            }

            length += r;
        }

        _http.Close();
        if (status != 200)
        {
            _log.Write(LogLevel.Warning, "linkkit", "registration answered HTTP " + status);
            Array.Clear(_reply, 0, _reply.Length);
            return RegistrationResult.HttpError;
        }

        if (broken)
        {
            _log.Write(LogLevel.Warning, "linkkit", "registration reply broke off");
            Array.Clear(_reply, 0, _reply.Length);
            return RegistrationResult.NetworkError;
        }

        RegistrationResult result = tooLong ? RegistrationResult.BadReply : ParseReply(identity, length);
        Array.Clear(_reply, 0, _reply.Length);
        if (result != RegistrationResult.Registered)
        {
            _log.Write(LogLevel.Warning, "linkkit", result == RegistrationResult.Rejected
                ? "registration refused, code " + LastCode
                : "registration reply is not valid JSON with data.deviceSecret" + (tooLong ? " (too long)" : string.Empty));
            return result;
        }

        _log.Write(LogLevel.Info, "linkkit", "registered " + identity.ToString());
        if (!Store(identity))
        {
            _log.Write(LogLevel.Error, "linkkit", "cannot store the device secret");
            return RegistrationResult.StorageFailed;
        }

        return RegistrationResult.Registered;
    }

    // One pass: a valid JSON object with an integer code; for 200 a data object whose productKey and deviceName
    // (when present) are this device's and whose deviceSecret is printable ASCII without escapes.
    private RegistrationResult ParseReply(DeviceIdentity identity, int length)
    {
        JsonReader r = _reader;
        r.Begin(_reply, 0, length);
        if (!r.Read() || r.TokenKind != JsonTokenKind.BeginObject)
        {
            return RegistrationResult.BadReply;
        }

        bool hasCode = false;
        long code = 0;
        bool hasData = false;
        bool identityOk = true;
        int secretAt = -1;
        int secretLength = 0;
        while (r.Read())
        {
            if (r.Depth == 1 && r.TokenKind == JsonTokenKind.PropertyName)
            {
                if (!hasCode && r.ValueEquals(CodeName))
                {
                    hasCode = r.Read() && WireInteger.TryRead(r, out code) && code >= int.MinValue && code <= int.MaxValue;
                    if (!hasCode)
                    {
                        return RegistrationResult.BadReply;
                    }
                }
                else if (!hasData && r.ValueEquals(DataName))
                {
                    hasData = r.Read() && r.TokenKind == JsonTokenKind.BeginObject;
                    if (!hasData)
                    {
                        r.Skip();
                    }
                }
                else
                {
                    r.Skip();
                }
            }
            else if (hasData && r.Depth == 2 && r.TokenKind == JsonTokenKind.PropertyName)
            {
                if (r.ValueEquals(ProductKeyName))
                {
                    identityOk &= r.Read() && r.TokenKind == JsonTokenKind.String && StringIs(r, identity.ProductKey);
                }
                else if (r.ValueEquals(DeviceNameName))
                {
                    identityOk &= r.Read() && r.TokenKind == JsonTokenKind.String && StringIs(r, identity.DeviceName);
                }
                else if (secretAt < 0 && r.ValueEquals(DeviceSecretName))
                {
                    if (r.Read() && r.TokenKind == JsonTokenKind.String && !r.HasEscapes && r.StringLength <= DeviceIdentity.MaxSecretLength)
                    {
                        secretAt = r.TokenIndex + 1;
                        secretLength = r.StringLength;
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
        }

        if (r.Error != JsonError.None || !hasCode)
        {
            return RegistrationResult.BadReply;
        }

        _lastCode = (int)code;
        if (code != 200)
        {
            return RegistrationResult.Rejected;
        }

        if (!hasData || !identityOk || secretAt < 0)
        {
            return RegistrationResult.BadReply;
        }

        for (int k = 0; k < secretLength; k++)
        {
            int c = _reply[secretAt + k];
            if (c < 0x20 || c > 0x7E)
            {
                return RegistrationResult.BadReply;
            }
        }

        string secret = Utf8.GetString(_reply, secretAt, secretLength);
        if (!DeviceIdentity.IsSecret(secret))
        {
            return RegistrationResult.BadReply;
        }

        identity.DeviceSecret = secret;
        return RegistrationResult.Registered;
    }

    private static bool StringIs(JsonReader r, string text)
    {
        return !r.HasEscapes && Utf8.TextEquals(text, r.TokenBuffer, r.TokenIndex + 1, r.StringLength);
    }

    // The record: "{pk}\n{dn}\n{secret}\n".
    private string ReadStored(DeviceIdentity identity)
    {
        int length = _storage.Length(StorageName);
        if (length <= 0 || length > _record.Length)
        {
            return null;
        }

        int read = 0;
        while (read < length)
        {
            int r = _storage.Read(StorageName, read, _record, read, length - read);
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

    private bool Store(DeviceIdentity identity)
    {
        int n = 0;
        n = Put(identity.ProductKey, n);
        n = Put(identity.DeviceName, n);
        n = Put(identity.DeviceSecret, n);

        // Emptied first: a record cut short by power loss then lacks its final newline and is never used.
        bool ok = _storage.Truncate(StorageName, 0) == StorageStatus.Ok
            && _storage.Write(StorageName, 0, _record, 0, n) == StorageStatus.Ok;
        Array.Clear(_record, 0, _record.Length);
        return ok;
    }

    private int Put(string text, int at)
    {
        at += Utf8.Encode(text, _record, at);
        _record[at++] = (byte)'\n';
        return at;
    }

    // Appends name (ASCII as is) and value's UTF-8 bytes, percent-encoding what is not unreserved in a form.
    private static int AppendForm(byte[] body, int n, string name, string value)
    {
        n += Utf8.Encode(name, body, n);
        foreach (byte c in Utf8.GetBytes(value))
        {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
            {
                body[n++] = (byte)c;
            }
            else
            {
                body[n++] = (byte)'%';
                body[n++] = (byte)UpperHex[(c >> 4) & 0xF];
                body[n++] = (byte)UpperHex[c & 0xF];
            }
        }

        return n;
    }
}
