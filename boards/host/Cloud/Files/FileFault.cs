namespace CotaFirmware.Host.Cloud.Files;

/// <summary>A fault the config file server plays on the next <see cref="Times"/> requests it matches.</summary>
/// <param name="Kind">What goes wrong.</param>
/// <param name="StatusCode">The status for <see cref="FileFaultKind.Status"/>.</param>
/// <param name="ByteCount">K for <see cref="FileFaultKind.Truncate"/>, <see cref="FileFaultKind.ResetAfter"/> and
/// <see cref="FileFaultKind.AbortAfter"/>.</param>
/// <param name="Times">How many requests it hits before it clears itself (int.MaxValue: until cleared).</param>
public sealed record FileFault(FileFaultKind Kind, int StatusCode = 0, long ByteCount = 0, int Times = int.MaxValue)
{
    /// <summary>Answer with <paramref name="statusCode"/> (e.g. 403, 404, 500).</summary>
    public static FileFault Status(int statusCode, int times = int.MaxValue) =>
        new(FileFaultKind.Status, statusCode, 0, times);

    /// <summary>Answer 200 with an HTML error page.</summary>
    public static FileFault HtmlPage(int times = int.MaxValue) => new(FileFaultKind.HtmlPage, 200, 0, times);

    /// <summary>Serve only the first <paramref name="bytes"/> bytes, as if the file were that long.</summary>
    public static FileFault Truncate(long bytes, int times = int.MaxValue) =>
        new(FileFaultKind.Truncate, 0, bytes, times);

    /// <summary>Drop the connection after <paramref name="bytes"/> bytes of the body.</summary>
    public static FileFault ResetAfter(long bytes, int times = int.MaxValue) =>
        new(FileFaultKind.ResetAfter, 0, bytes, times);

    /// <summary>Reset the connection (RST) after <paramref name="bytes"/> bytes of the body.</summary>
    public static FileFault AbortAfter(long bytes, int times = int.MaxValue) =>
        new(FileFaultKind.AbortAfter, 0, bytes, times);

    /// <summary>Never answer.</summary>
    public static FileFault Hang(int times = int.MaxValue) => new(FileFaultKind.Hang, 0, 0, times);
}
