namespace CotaFirmware.Host.Cloud.Files;

/// <summary>How the config file server misbehaves on purpose.</summary>
public enum FileFaultKind
{
    /// <summary>Answer with an HTTP error status (403, 404, 500, ...) and an OSS-style XML body.</summary>
    Status,

    /// <summary>Answer 200 with an HTML error page instead of the file.</summary>
    HtmlPage,

    /// <summary>Serve the file cut to its first K bytes, consistently (the response looks complete).</summary>
    Truncate,

    /// <summary>Announce the full length, send K bytes of the body, then close the connection (FIN): the client
    /// reads exactly K bytes, then a premature end.</summary>
    ResetAfter,

    /// <summary>Announce the full length, send K bytes of the body, then abort the connection (RST): the client
    /// sees a reset and may lose part of those K bytes, as on a real dropped link.</summary>
    AbortAfter,

    /// <summary>Accept the request and never answer, until the client gives up.</summary>
    Hang,
}
