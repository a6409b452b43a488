using System;

namespace CotaFirmware.Mqtt;

/// <summary>The outgoing QoS 1 messages waiting for PUBACK, each kept as its encoded PUBLISH in one fixed slab, in publish order.</summary>
/// <remarks>Allocated once; adding and removing allocate nothing. The set outlives a session: the client sends its messages again after the next CONNACK.</remarks>
internal sealed class MqttInFlight
{
    private readonly byte[] _slab;
    private int _used;
    private readonly int[] _id;
    private readonly int[] _offset; // packets lie back to back: each ends where the next starts, the last at _used
    private readonly bool[] _sent;
    private int _count;

    internal MqttInFlight(int count, int bytes)
    {
        _slab = new byte[bytes];
        _id = new int[count];
        _offset = new int[count];
        _sent = new bool[count];
    }

    /// <summary>The slab that holds the encoded messages.</summary>
    internal byte[] Slab => _slab;

    /// <summary>How many messages wait for PUBACK.</summary>
    internal int Count => _count;

    /// <summary>Where in <see cref="Slab"/> the next message is to be encoded, or -1 when no slot or not <paramref name="size"/> bytes are free.</summary>
    internal int Reserve(int size) => _count == _id.Length || _used + size > _slab.Length ? -1 : _used;

    /// <summary>Keeps the <paramref name="length"/> bytes just encoded at the reserved place as the message <paramref name="id"/>, not yet sent; returns its slot.</summary>
    internal int Add(int id, int length)
    {
        int slot = _count++;
        _id[slot] = id;
        _offset[slot] = _used;
        _sent[slot] = false;
        _used += length;
        return slot;
    }

    /// <summary>Marks the message in <paramref name="slot"/> as going out, with DUP set when it went out before; returns its offset in <see cref="Slab"/>.</summary>
    internal int MarkSent(int slot)
    {
        int offset = _offset[slot];
        if (_sent[slot])
        {
            _slab[offset] |= 0x08;
        }

        _sent[slot] = true;
        return offset;
    }

    /// <summary>The encoded length of the message in <paramref name="slot"/>.</summary>
    internal int LengthOf(int slot) => (slot + 1 < _count ? _offset[slot + 1] : _used) - _offset[slot];

    /// <summary>Drops the message <paramref name="id"/> and closes the gap in the slab; false when no such message waits (a duplicate ack).</summary>
    internal bool Remove(int id)
    {
        int slot = IndexOf(id);
        if (slot < 0)
        {
            return false;
        }

        int off = _offset[slot];
        int len = LengthOf(slot);
        int tail = _used - (off + len);
        if (tail > 0)
        {
            Array.Copy(_slab, off + len, _slab, off, tail);
        }

        _used -= len;
        for (int i = slot + 1; i < _count; i++)
        {
            _id[i - 1] = _id[i];
            _offset[i - 1] = _offset[i] - len;
            _sent[i - 1] = _sent[i];
        }

        _count--;
        return true;
    }

    /// <summary>The slot of the message with packet id <paramref name="id"/>, or -1 when none waits for PUBACK.</summary>
    internal int IndexOf(int id)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_id[i] == id)
            {
                return i;
            }
        }

        return -1;
    }
}
