using System.Collections;

namespace CotaFirmware.Linkkit;

/// <summary>The topic filters a session subscribed to and awaits the SUBACK of, by packet id.</summary>
/// <remarks>
/// A SUBACK names only the packet id, so an <see cref="IMqttSession"/> keeps the filter beside it until it comes, and
/// reports a refused one to <see cref="IMqttSessionListener.OnSubscribeRefused"/>. Cleared at each connect: a SUBACK
/// that never came is forgotten with its connection. The caller serializes the calls.
/// </remarks>
public sealed class PendingSubscriptions
{
    private readonly ArrayList _entries = new ArrayList(); // packet id, filter, ...

    /// <summary>Forgets every filter.</summary>
    public void Clear() => _entries.Clear();

    /// <summary>Keeps <paramref name="filter"/> until the SUBACK of <paramref name="packetId"/>.</summary>
    public void Add(int packetId, string filter)
    {
        _entries.Add(packetId);
        _entries.Add(filter);
    }

    /// <summary>The SUBACK of <paramref name="packetId"/> came: forgets its filter.</summary>
    /// <returns>The filter when the SUBACK refused it (0x80); null when it was granted or is not awaited.</returns>
    public string Acknowledge(int packetId, int returnCode)
    {
        for (int i = 0; i < _entries.Count; i += 2)
        {
            if ((int)_entries[i] == packetId)
            {
                string filter = (string)_entries[i + 1];
                _entries.RemoveAt(i);
                _entries.RemoveAt(i);
                return returnCode == 0x80 ? filter : null;
            }
        }

        return null;
    }
}
