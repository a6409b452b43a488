using System.Collections;

namespace CotaFirmware.Linkkit;

/// <summary>The topic filters a session subscribed to and awaits the SUBACK of, by packet id; and those the broker refused.</summary>
/// <remarks>
/// A SUBACK names only the packet id, so an <see cref="IMqttSession"/> keeps the filter beside it until it comes, and
/// reports a refused one to <see cref="IMqttSessionListener.OnSubscribeRefused"/> from its <c>Yield</c>. Cleared at each
/// connect: a SUBACK that never came is forgotten with its connection. The caller serializes the calls.
/// </remarks>
public sealed class PendingSubscriptions
{
    private const int Refused = -1;

    private readonly ArrayList _entries = new ArrayList(); // packet id (Refused once refused), filter, ...

    /// <summary>Forgets every filter.</summary>
    public void Clear() => _entries.Clear();

    /// <summary>Keeps <paramref name="filter"/> until the SUBACK of <paramref name="packetId"/>.</summary>
    public void Add(int packetId, string filter)
    {
        _entries.Add(packetId);
        _entries.Add(filter);
    }

    /// <summary>The SUBACK of <paramref name="packetId"/> came: a granted filter is forgotten, a refused one (0x80) kept for <see cref="TakeRefused"/>.</summary>
    public void Acknowledge(int packetId, int returnCode)
    {
        for (int i = 0; i < _entries.Count; i += 2)
        {
            if ((int)_entries[i] == packetId)
            {
                if (returnCode == 0x80)
                {
                    _entries[i] = Refused;
                }
                else
                {
                    Remove(i);
                }

                return;
            }
        }
    }

    /// <summary>A refused filter, now forgotten; null when none is left.</summary>
    public string TakeRefused()
    {
        for (int i = 0; i < _entries.Count; i += 2)
        {
            if ((int)_entries[i] == Refused)
            {
                string filter = (string)_entries[i + 1];
                Remove(i);
                return filter;
            }
        }

        return null;
    }

    private void Remove(int at)
    {
        _entries.RemoveAt(at);
        _entries.RemoveAt(at);
    }
}
