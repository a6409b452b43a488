namespace CotaFirmware.Json;

/// <summary>Where a streamed JSON document comes from: the seam a <see cref="JsonReader"/> refills its window through.</summary>
/// <remarks>
/// Contract (as in coreMQTT's transport recv): copy at most <c>count</c> bytes into <c>buffer</c> at <c>offset</c> and
/// return how many were copied (1..count); return 0 only at the end of the document; return a negative,
/// implementation-defined code (e.g. a <see cref="CotaFirmware.Platform.StorageStatus"/> value) on failure.
/// The reader keeps calling after a positive result until its window is full, and never calls again after 0 or a
/// negative result; it reports a negative result (or one larger than <c>count</c>) as <see cref="JsonError.SourceFailed"/>
/// and keeps the code in <see cref="JsonReader.SourceStatus"/>. Implementations should not throw.
/// </remarks>
public interface IJsonSource
{
    /// <summary>Copies up to <paramref name="count"/> bytes of the document into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>The number of bytes copied (1..count), 0 at the end of the document, or a negative error code.</returns>
    public int Read(byte[] buffer, int offset, int count);
}
