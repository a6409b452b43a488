using CotaFirmware.Config;
using CotaFirmware.Crypto;
using CotaFirmware.Json;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Cota;

// Every offer's one result, written to the result log (flash) before the offer is let go: its reason and what names it
// (the config's errors, the store's or the download's failure, the sizes), and a refused offer's too.
public sealed partial class CotaService
{
    // True when the result is in flash.
    private bool AddResult(CotaStatus reason, ConfigStatus storeStatus)
    {
        _lastResult = reason;
        int idLength = _offer.CopyConfigId(_id, 0);
        _offer.CopyDigest(_digest, 0);
        JsonWriter w = _results.Begin();
        WriteResult(w, _journal.Sequence, _id, idLength, reason, storeStatus);
        return Keep(_journal.Sequence, _id, idLength, _digest, reason) == StorageStatus.Ok;
    }

    // A refused offer (from the last parsed message) that the cloud hears of as a result: not accepted, never downloaded.
    private void RecordRefusal(CotaStatus reason)
    {
        RecordRefusal(reason, ConfigStatus.Ok);
    }

    private void RecordRefusal(CotaStatus reason, ConfigStatus storeStatus)
    {
        ConfigMessage m = _message;
        if (_journal.ReadError != StorageStatus.Ok)
        {
            // The next sequence may be the unread record's offer's, whose result this would pass for: nothing is kept,
            // and the offer is refused again when it comes after a boot that reads the record.
            Log(LogLevel.Warning, "config " + m.ConfigIdText() + " refused (" + CotaNames.Of(reason) + "); no result kept while the offer record cannot be read");
            return;
        }

        int idLength = m.ConfigIdLength > 0 ? m.ConfigIdLength : 0;
        bool signed = m.Status == CotaStatus.Ok || m.Status == CotaStatus.TooLarge;
        if (signed)
        {
            Hex.Decode(m.Sign, 0, ConfigMessage.SignLength, _digest, 0);
        }

        uint sequence = ++_lastSequence;
        JsonWriter w = _results.Begin();
        WriteResult(w, sequence, m.ConfigId, idLength, reason, storeStatus);
        Keep(sequence, m.ConfigId, idLength, signed ? _digest : null, reason);
    }

    // True when the log's newest result for the message's configId already carries this reason.
    private bool SeenBefore(CotaStatus reason)
    {
        ConfigMessage m = _message;
        return _results.Find(m.ConfigId, 0, m.ConfigIdLength > 0 ? m.ConfigIdLength : 0, null) == reason;
    }

    private StorageStatus Keep(uint sequence, byte[] id, int idLength, byte[] digest, CotaStatus reason)
    {
        StorageStatus kept = _results.Add(sequence, id, idLength, digest, reason);
        string text = "config " + Utf8.GetString(id, 0, idLength) + ", offer " + sequence.ToString() + ": " + CotaNames.ResultStatus(reason)
            + (reason == CotaStatus.Ok ? "" : " (" + CotaNames.Of(reason) + ")");
        if (kept == StorageStatus.Ok)
        {
            Log(reason == CotaStatus.Ok ? LogLevel.Info : LogLevel.Warning, text);
        }
        else
        {
            Log(LogLevel.Error, text + "; the result could not be kept in flash: " + PlatformNames.Of(kept));
        }

        return kept;
    }

    // The result's params: configId, status, reason (unless applied), errors, what names the failure, and the offer's
    // sequence (a result sent again after a lost reply carries the same one).
    private void WriteResult(JsonWriter w, uint sequence, byte[] id, int idLength, CotaStatus reason, ConfigStatus storeStatus)
    {
        WriteResultMembers(w, id, idLength, reason, storeStatus, true);
        w.WriteProperty("seq", sequence);
        if (w.Overflowed)
        {
            // Too many or too long errors for one entry (seq included): the reason alone, and how many errors were left out.
            w.Reset();
            WriteResultMembers(w, id, idLength, reason, storeStatus, false);
            w.WriteProperty("seq", sequence);
        }
    }

    private void WriteResultMembers(JsonWriter w, byte[] id, int idLength, CotaStatus reason, ConfigStatus storeStatus, bool details)
    {
        w.WriteName("configId");
        w.WriteString(id, 0, idLength);
        w.WriteProperty("status", CotaNames.ResultStatus(reason));
        if (reason != CotaStatus.Ok)
        {
            w.WriteProperty("reason", CotaNames.Of(reason));
        }

        ConfigErrors errors = _applier.Errors;
        if (reason == CotaStatus.Rejected || reason == CotaStatus.ModuleFailed)
        {
            if (details)
            {
                errors.WriteMembers(w);
            }
            else
            {
                w.WriteName("errors");
                w.BeginArray();
                w.EndArray();
                w.WriteProperty("errorsDropped", errors.ErrorCount + errors.DroppedErrors);
            }

            return;
        }

        w.WriteName("errors");
        w.BeginArray();
        if (reason == CotaStatus.StoreFailed)
        {
            w.BeginObject();
            w.WriteProperty("module", "store");
            w.WriteProperty("code", ConfigNames.Of(storeStatus));
            if (storeStatus == ConfigStatus.StorageFailed)
            {
                w.WriteProperty("storage", PlatformNames.Of(_storageError));
            }

            w.EndObject();
        }
        else if (IsDownloadFailure(reason))
        {
            w.BeginObject();
            w.WriteProperty("module", "download");
            w.WriteProperty("code", CotaNames.Of(reason));
            if (reason == CotaStatus.RetriesExhausted && _download.LastFailure != CotaStatus.None)
            {
                w.WriteProperty("lastFailure", CotaNames.Of(_download.LastFailure));
            }

            int http = _download.HttpStatusCode;
            if (http > 0)
            {
                w.WriteProperty("httpStatus", http);
            }

            w.EndObject();
        }

        w.EndArray();
        if (reason == CotaStatus.MessageTooLarge && _message.MessageSize > 0)
        {
            w.WriteProperty("messageSize", _message.MessageSize);
        }

        // The cloud learns the size it offered and the device's limit, so the operator sees both.
        if (reason == CotaStatus.TooLarge)
        {
            w.WriteProperty("configSize", _message.ConfigSize);
            w.WriteProperty("maxConfigSize", _store.MaxConfigLength);
        }
    }

    private static bool IsDownloadFailure(CotaStatus reason)
    {
        switch (reason)
        {
            case CotaStatus.BadScheme:
            case CotaStatus.BadUrl:
            case CotaStatus.HttpError:
            case CotaStatus.SizeMismatch:
            case CotaStatus.RangeMismatch:
            case CotaStatus.HashMismatch:
            case CotaStatus.Timeout:
            case CotaStatus.ConnectionFailed:
            case CotaStatus.Truncated:
            case CotaStatus.RetriesExhausted:
            case CotaStatus.TlsFailed:
                return true;
            default:
                return false;
        }
    }
}
