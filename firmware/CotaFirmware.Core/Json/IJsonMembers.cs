namespace CotaFirmware.Json;

/// <summary>Something that writes itself as the members of a JSON object, straight into a caller's <see cref="JsonWriter"/>.</summary>
/// <remarks>LinkKit writes a request's <c>params</c> this way, so a result or a report needs no buffer of its own.</remarks>
public interface IJsonMembers
{
    /// <summary>Writes the members (names and values); the object's braces are written by the caller.</summary>
    /// <remarks>Overflow needs no check here: the caller checks <see cref="JsonWriter.Overflowed"/> afterwards.</remarks>
    public void WriteMembers(JsonWriter writer);
}
