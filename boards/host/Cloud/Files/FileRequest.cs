namespace CotaFirmware.Host.Cloud.Files;

/// <summary>One request the config file server received, as logged (enough to prove a resume).</summary>
/// <param name="Sequence">Increases by one per request.</param>
/// <param name="Time">When it arrived.</param>
/// <param name="Method">GET or HEAD.</param>
/// <param name="Path">The path, without the query.</param>
/// <param name="PathAndQueryLength">Length of the path with its query (the URL's length less scheme and host).</param>
/// <param name="Range">The Range header as sent, or null.</param>
/// <param name="ConfigId">The config it asked for, when the path names one.</param>
/// <param name="Status">The status answered (0 when nothing was answered).</param>
/// <param name="BodyBytes">Body bytes actually sent.</param>
/// <param name="Fault">The fault played, or null.</param>
/// <param name="Target">The request-target exactly as it arrived on the request line (path and query, undecoded).</param>
public sealed record FileRequest(long Sequence, DateTimeOffset Time, string Method, string Path, int PathAndQueryLength,
    string? Range, string? ConfigId, int Status, long BodyBytes, FileFaultKind? Fault, string Target);
