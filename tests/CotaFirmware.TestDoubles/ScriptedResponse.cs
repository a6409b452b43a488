namespace CotaFirmware.Tests.Platform;

/// <summary>How <see cref="ScriptedHttpClient"/> answers one request; the defaults serve the file properly.</summary>
public sealed class ScriptedResponse
{
    /// <summary>The status (or negative HttpStatus) to answer; 0 means 200/206 as a correct server would.</summary>
    public int Status;

    /// <summary>Answer 200 with the whole file even to a ranged request.</summary>
    public bool IgnoreRange;

    /// <summary>A body to serve instead of the file (for example an HTML error page).</summary>
    public byte[] Body;

    /// <summary>The Content-Length to claim; -2 means the real body length.</summary>
    public long ContentLength = -2;

    /// <summary>The Content-Range start to claim on 206; -2 means the requested offset.</summary>
    public long RangeStart = -2;

    /// <summary>The Content-Range total to claim on 206; -2 means the file's length.</summary>
    public long RangeTotal = -2;

    /// <summary>After this many body bytes, reads return <see cref="FailCode"/>; -1 never.</summary>
    public int FailAfter = -1;

    /// <summary>What reads return after <see cref="FailAfter"/>: a negative HttpStatus, or 0 for an early end.</summary>
    public int FailCode = (int)CotaFirmware.Platform.HttpStatus.Broken;

    /// <summary>The body comes in pieces of this many bytes, each <see cref="SilenceMs"/> after the one before (0: all at once); needs <see cref="ScriptedHttpClient.Clock"/>.</summary>
    public int PieceBytes;

    /// <summary>The silence before each piece but the first, on <see cref="ScriptedHttpClient.Clock"/>: a read waits it out as far as its timeout allows.</summary>
    public int SilenceMs;

    /// <summary>Serves normally, <paramref name="bytes"/> at a time with <paramref name="silenceMs"/> of silence between: a slow server.</summary>
    public static ScriptedResponse InPieces(int bytes, int silenceMs)
    {
        ScriptedResponse r = new ScriptedResponse();
        r.PieceBytes = bytes;
        r.SilenceMs = silenceMs;
        return r;
    }

    /// <summary>Answers with <paramref name="status"/>.</summary>
    public static ScriptedResponse WithStatus(int status)
    {
        ScriptedResponse r = new ScriptedResponse();
        r.Status = status;
        return r;
    }

    /// <summary>Serves normally but fails with <paramref name="code"/> after <paramref name="bytes"/> body bytes.</summary>
    public static ScriptedResponse FailingAfter(int bytes, int code)
    {
        ScriptedResponse r = new ScriptedResponse();
        r.FailAfter = bytes;
        r.FailCode = code;
        return r;
    }
}
