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
/// the stored secret is what later boots must use: <see cref="DeviceSecretRecord"/> keeps it as safely as the config.
/// Secrets never reach the log.
/// </remarks>
public sealed class DeviceRegistration
{
    private const int ReplyCapacity = 1024;

    private readonly IHttpClient _http;
    private readonly IClock _clock;
    private readonly DeviceSecretRecord _secrets;
    private readonly LinkkitSigner _signer;
    private readonly Random _random;
    private readonly ILog _log;
    private readonly byte[] _reply = new byte[ReplyCapacity];
    private readonly JsonReader _reader = new JsonReader(null);
    private static readonly byte[] ProductKeyName = Utf8.GetBytes("productKey");
    private static readonly byte[] DeviceNameName = Utf8.GetBytes("deviceName");
    private static readonly byte[] DeviceSecretName = Utf8.GetBytes("deviceSecret");
    private readonly byte[] _nonce = new byte[8];
    private int _lastCode;
    private int _lastHttpStatus;
    private bool _unstored; // the identity holds an issued secret that is not in flash yet

    /// <summary>
    /// Creates a registration over the board's HTTP client, storage and HMAC. <paramref name="random"/> makes the
    /// request nonces: seed it from a board source of entropy, not from the clock alone. <paramref name="clock"/> times
    /// each request against <see cref="TimeoutMs"/>.
    /// </summary>
    public DeviceRegistration(IHttpClient http, IStorage storage, IMac mac, Random random, ILog log, IClock clock)
    {
        if (http == null || storage == null || mac == null || random == null || log == null || clock == null)
        {
            throw new ArgumentNullException(http == null ? nameof(http) : storage == null ? nameof(storage)
                : mac == null ? nameof(mac) : random == null ? nameof(random) : log == null ? nameof(log) : nameof(clock));
        }

        _http = http;
        _clock = clock;
        _secrets = new DeviceSecretRecord(storage);
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

    /// <summary>How long one registration request may take, in milliseconds, from sending it to the reply's last byte.</summary>
    public int TimeoutMs = 15000;

    /// <summary>
    /// Makes sure <paramref name="identity"/> has a DeviceSecret in flash: keeps a given one, stores again one issued
    /// earlier that could not be stored (<see cref="RegistrationResult.StorageFailed"/>), else reuses the stored one,
    /// else registers (<see cref="Register"/>).
    /// </summary>
    public RegistrationResult Obtain(DeviceIdentity identity, LinkkitSettings settings)
    {
        if (identity.DeviceSecret != null)
        {
            return _unstored ? Keep(identity) : identity.Validate(true) == LinkkitStatus.Ok ? RegistrationResult.Given : RegistrationResult.BadIdentity;
        }

        if (identity.Validate(false) != LinkkitStatus.Ok)
        {
            return RegistrationResult.BadIdentity;
        }

        if (_secrets.HoldsNewer())
        {
            _log.Write(LogLevel.Error, "linkkit", "the device secret in flash was written by a newer firmware in a format this one cannot read;"
                + " it is left as it is and the device does not register again: run the newer firmware");
            return RegistrationResult.StorageFailed;
        }

        string stored = _secrets.Read(identity);
        if (stored == null)
        {
            stored = _secrets.ReadLegacy(identity);
            if (stored != null)
            {
                identity.DeviceSecret = stored;
                if (!_secrets.Store(identity))
                {
                    _log.Write(LogLevel.Warning, "linkkit", "the device secret of the first format could not be moved to the new one; it is read from the old one again");
                }
            }
        }

        if (stored != null)
        {
            identity.DeviceSecret = stored;
            _log.Write(LogLevel.Info, "linkkit", "using the stored device secret of " + identity.ToString());
            return RegistrationResult.Reused;
        }

        if (_secrets.AnyStored)
        {
            _log.Write(LogLevel.Error, "linkkit", "no stored device secret of " + identity.ToString() + " is readable (torn, corrupt or another device's);"
                + " registering again, which the platform refuses once the device is activated: then reset the device in the console or give its deviceSecret in device.json");
        }

        return Register(identity, settings);
    }

    /// <summary>
    /// Asks the platform for a DeviceSecret (HTTPS form POST to the registration URL, with a fresh nonce), sets it
    /// on <paramref name="identity"/> and stores it; when it cannot be stored, the next <see cref="Obtain"/> tries again.
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
        long deadline = _clock.MonotonicMs + TimeoutMs;
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
            // One deadline for the whole reply: a server that trickles it in must not hold the device's loop.
            long left = deadline - _clock.MonotonicMs;
            if (left <= 0)
            {
                broken = true;
                break;
            }

            if (length == _reply.Length)
            {
                byte[] probe = new byte[1];
                int extra = _http.Read(probe, 0, 1, (int)left);
                tooLong = extra > 0;
                broken = extra < 0;
                break;
            }

            int r = _http.Read(_reply, length, _reply.Length - length, (int)left);
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
        return Keep(identity);
    }

    // Connecting activates the device, and an activated device cannot register again: an issued secret must be in flash
    // before it is used. Until it is, each Obtain stores the one held again (a new registration would issue another).
    private RegistrationResult Keep(DeviceIdentity identity)
    {
        _unstored = !_secrets.Store(identity);
        if (_unstored)
        {
            _log.Write(LogLevel.Error, "linkkit", "cannot store the device secret of " + identity.ToString() + "; no connect before it is");
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
                if (!hasCode && r.ValueEquals(EnvelopeNames.Code))
                {
                    hasCode = r.Read() && WireInteger.TryRead(r, out code) && code >= int.MinValue && code <= int.MaxValue;
                    if (!hasCode)
                    {
                        return RegistrationResult.BadReply;
                    }
                }
                else if (!hasData && r.ValueEquals(EnvelopeNames.Data))
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
                body[n++] = (byte)Hex.Digit(c >> 4, true);
                body[n++] = (byte)Hex.Digit(c & 0xF, true);
            }
        }

        return n;
    }
}
