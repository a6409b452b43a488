namespace CotaFirmware.Platform;

/// <summary>
/// Named, persistent byte areas (files on the device's flash): what a board must provide for configs and state.
/// </summary>
/// <remarks>
/// A write is durable once it returns. Power may fail during a write; then a prefix of that write may have
/// landed, and nothing after it. Layers above build power-loss safety on exactly this promise.
/// Names are short ASCII identifiers chosen by the core; a board maps them to its own paths.
/// <see cref="Truncate"/> and <see cref="Delete"/> are writes too: a power cut during one leaves the area either as
/// it was or as asked. Writes never leave holes: a write position is at most the area's current length.
/// </remarks>
public interface IStorage
{
    /// <summary>The length in bytes of the area <paramref name="name"/>, or -1 when it does not exist.</summary>
    public int Length(string name);

    /// <summary>Reads up to <paramref name="count"/> bytes of area <paramref name="name"/> from <paramref name="position"/> into <paramref name="buffer"/>.</summary>
    /// <returns>The number of bytes read (0 at the end of the area), or a negative <see cref="StorageStatus"/> value as an int.</returns>
    public int Read(string name, int position, byte[] buffer, int offset, int count);

    /// <summary>Writes <paramref name="count"/> bytes into area <paramref name="name"/> at <paramref name="position"/>, creating or extending it.</summary>
    /// <remarks><paramref name="position"/> is at most the area's current length (0 for a new area); a larger one gives <see cref="StorageStatus.Failed"/>.</remarks>
    /// <returns><see cref="StorageStatus.Ok"/>, or why it failed.</returns>
    public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count);

    /// <summary>Cuts area <paramref name="name"/> to <paramref name="length"/> bytes, creating it empty when it does not exist.</summary>
    /// <returns><see cref="StorageStatus.Ok"/>, or why it failed.</returns>
    public StorageStatus Truncate(string name, int length);

    /// <summary>Removes area <paramref name="name"/>. Removing an area that does not exist succeeds.</summary>
    /// <returns><see cref="StorageStatus.Ok"/>, or why it failed.</returns>
    public StorageStatus Delete(string name);
}
