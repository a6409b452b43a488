using CotaFirmware.Text;

namespace CotaFirmware.Linkkit;

/// <summary>
/// The member names of LinkKit's message envelope as UTF-8 bytes, the one copy every layer reads and writes them with:
/// a request is <c>{"id","version","params","method"}</c>, a reply <c>{"id","code","data","message"}</c>.
/// </summary>
/// <remarks>Shared arrays: read them, never write into them.</remarks>
public static class EnvelopeNames
{
    /// <summary><c>id</c>: the request id, echoed by its reply.</summary>
    public static readonly byte[] Id = Utf8.GetBytes("id");

    /// <summary><c>code</c>: a reply's result (200 is success).</summary>
    public static readonly byte[] Code = Utf8.GetBytes("code");

    /// <summary><c>data</c>: what a reply carries.</summary>
    public static readonly byte[] Data = Utf8.GetBytes("data");

    /// <summary><c>params</c>: what a request (or a push from the cloud) carries.</summary>
    public static readonly byte[] Params = Utf8.GetBytes("params");

    /// <summary><c>method</c>: a request's method, such as <c>thing.config.get</c>.</summary>
    public static readonly byte[] Method = Utf8.GetBytes("method");

    /// <summary><c>version</c>: the protocol version of a request.</summary>
    public static readonly byte[] Version = Utf8.GetBytes("version");

    /// <summary><c>message</c>: a reply's explanation when its code is not 200.</summary>
    public static readonly byte[] Message = Utf8.GetBytes("message");
}
