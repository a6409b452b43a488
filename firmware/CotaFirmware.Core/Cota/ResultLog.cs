using CotaFirmware.Crypto;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Platform;
using CotaFirmware.Text;
using CotaFirmware.Timing;

namespace CotaFirmware.Cota;

/// <summary>
/// The config results in flash and their way to the cloud: each one kept until the cloud has it, sent oldest first as
/// the result event, then kept as the memory of which configs the device finished, until a newer result needs its slot.
/// </summary>
/// <remarks>
/// <para>One storage area per slot (<c>cota.r0</c>, <c>cota.r1</c>, ...), each holding one entry: magic "CRS1",
/// sequence, reason (a <see cref="CotaStatus"/>), configId length, reserved, a sent flag, the offer's digest (32),
/// configId (64), JSON length (2), reserved (2), CRC-32 (over every byte before it but the sent flag, then the JSON),
/// then the result's params as JSON. Power-fail model: an entry is one write, so a cut leaves it whole or failing its
/// CRC (absent); the sent flag is one byte outside the CRC, so marking it lands or not, and an entry whose mark did not
/// land is sent once more. The magic's last byte is the version ('1'); an entry in a newer version is a newer
/// firmware's: it is neither read, sent nor overwritten.</para>
/// <para>A new entry takes an empty slot, else a sent one of the same configId, else the oldest sent one, else the
/// oldest unsent one, which is then lost (the log names it): flash stays bounded, and the log remembers
/// the last result of as many configs as it has slots. RAM: one entry's bytes and each slot's header fields.</para>
/// <para>Delivery: one result in flight at a time. It counts as delivered when the cloud replies to the event (any
/// code), or, while the cloud has never replied to an event (a plain MQTT broker), when the connection held through
/// the reply wait (over TCP the broker has it then). Otherwise it goes again after a backoff, and at every connect:
/// a result may reach the cloud twice, always with the same seq.</para>
/// </remarks>
internal sealed class ResultLog : IJsonMembers, IReplyHandler
{
    /// <summary>The entry header's size; the JSON follows it.</summary>
    internal const int HeaderSize = 116;

    private const int SentAt = 11;
    private const uint Magic = 0x31535243; // "CRS1" in its bytes: type "CRS", version '1'
    private const int Version = '1';
    private const int CrcAt = 112;
    private static readonly byte[] SentMark = { 1 };

    private readonly IStorage _storage;
    private readonly LinkkitDevice _device;
    private readonly int _topic;
    private readonly Backoff _retry;
    private readonly IClock _clock;
    private readonly ILog _log;
    private readonly string[] _areas;
    private readonly byte[] _entry;
    private readonly JsonWriter _writer;

    // Per slot: what its header says.
    private readonly bool[] _valid;
    private readonly bool[] _newer;
    private readonly bool[] _sent;
    private readonly uint[] _sequence;
    private readonly byte[] _reason;
    private readonly int[] _idLength;
    private readonly byte[] _ids;
    private readonly byte[] _digests;
    private int _loaded = -1;
    private int _loadedLength;

    // The result in flight: its slot (-1: none), request id, and the connection it went out on.
    private int _sendSlot = -1;
    private int _sendId;
    private int _sendEpoch;
    private int _epoch;
    private long _resendAt;
    private int _sendFailures;
    private bool _eventsAnswered;
    private bool _answer;

    /// <summary>Creates a log of <paramref name="slots"/> entries whose JSON holds at most <paramref name="jsonCapacity"/> bytes, sent as the event <paramref name="topic"/> of <paramref name="device"/>.</summary>
    internal ResultLog(IStorage storage, int slots, int jsonCapacity, LinkkitDevice device, int topic, Backoff retry, IClock clock, ILog log)
    {
        if (slots < 1 || jsonCapacity < 128)
        {
            throw new System.ArgumentOutOfRangeException(slots < 1 ? "slots" : "jsonCapacity");
        }

        _storage = storage;
        _device = device;
        _topic = topic;
        _retry = retry;
        _clock = clock;
        _log = log;
        _areas = new string[slots];
        for (int i = 0; i < slots; i++)
        {
            _areas[i] = "cota.r" + i.ToString();
        }

        _entry = new byte[HeaderSize + jsonCapacity];
        _writer = new JsonWriter(_entry, HeaderSize, jsonCapacity);
        _valid = new bool[slots];
        _newer = new bool[slots];
        _sent = new bool[slots];
        _sequence = new uint[slots];
        _reason = new byte[slots];
        _idLength = new int[slots];
        _ids = new byte[slots * ConfigOffer.MaxConfigIdLength];
        _digests = new byte[slots * ConfigOffer.DigestLength];
    }

    /// <summary>The highest sequence of any entry (0 when empty).</summary>
    internal uint HighestSequence
    {
        get
        {
            int newest = NewestSlot();
            return newest < 0 ? 0 : _sequence[newest];
        }
    }

    /// <summary>How many slots hold an entry of a newer firmware (left as they are).</summary>
    internal int Newer
    {
        get
        {
            int n = 0;
            for (int i = 0; i < _newer.Length; i++)
            {
                if (_newer[i])
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>How many entries wait to be sent.</summary>
    internal int Unsent
    {
        get
        {
            int n = 0;
            for (int i = 0; i < _valid.Length; i++)
            {
                if (_valid[i] && !_sent[i])
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>When the next result may go out (a monotonic time), or -1 when none waits or the device is offline or one is in flight.</summary>
    internal long NextSendAt => _sendSlot < 0 && _device.IsConnected && Unsent > 0 ? _resendAt : -1;

    /// <summary>True once after the cloud replied to a result event: it reaches the device.</summary>
    internal bool TakeAnswer()
    {
        bool answer = _answer;
        _answer = false;
        return answer;
    }

    /// <summary>A new connection: what waits goes out now.</summary>
    internal void OnConnected()
    {
        _epoch++;
        _resendAt = 0;
    }

    /// <summary>Sends the oldest unsent result when connected, nothing is in flight and no backoff runs.</summary>
    internal void Send()
    {
        if (_sendSlot >= 0 || !_device.IsConnected || _clock.MonotonicMs - _resendAt < 0)
        {
            return;
        }

        int slot = OldestUnsent();
        if (slot < 0 || !LoadForSending(slot))
        {
            return;
        }

        int id = _device.TriggerEvent(_topic, this, this);
        if (id < 0)
        {
            _resendAt = _clock.MonotonicMs + _retry.DelayMs(++_sendFailures);
            _log.Write(LogLevel.Warning, "cota", "cannot send the result of config " + ConfigIdText(slot) + " now: " + LinkkitNames.Of((LinkkitStatus)id));
            return;
        }

        _sendSlot = slot;
        _sendId = id;
        _sendEpoch = _epoch;
    }

    /// <inheritdoc/>
    public void OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, int size, byte[] data, int offset, int count)
    {
        int slot = _sendSlot;
        if (slot < 0 || requestId != _sendId)
        {
            return;
        }

        _sendSlot = -1;
        bool delivered = status == ReplyStatus.Replied
            || (status == ReplyStatus.TimedOut && !_eventsAnswered && _epoch == _sendEpoch && _device.IsConnected);
        if (!delivered)
        {
            _resendAt = _clock.MonotonicMs + _retry.DelayMs(++_sendFailures);
            return;
        }

        _sendFailures = 0;
        _answer = status == ReplyStatus.Replied;
        _eventsAnswered |= _answer;
        StorageStatus marked = MarkSent(slot);
        _log.Write(LogLevel.Info, "cota", "result of config " + ConfigIdText(slot) + ", offer " + _sequence[slot].ToString() + " delivered"
            + (_answer ? (code == 200 ? "" : " (the cloud answered " + code.ToString() + ")") : " (no reply; the connection held)")
            + (marked == StorageStatus.Ok ? "" : "; not marked in flash: " + PlatformNames.Of(marked) + ", it will be sent again"));
    }

    /// <summary>Reads every slot's header; torn or foreign entries count as empty.</summary>
    internal void Load()
    {
        for (int i = 0; i < _areas.Length; i++)
        {
            _newer[i] = StoredBytes.HoldsNewer(_storage, _areas[i], 0, _entry, Magic, 3, Version);
            _valid[i] = !_newer[i] && ReadEntry(i) >= 0;
            if (_valid[i])
            {
                Remember(i);
            }
        }

        _loaded = -1;
    }

    /// <summary>True when an entry has <paramref name="sequence"/>.</summary>
    internal bool Contains(uint sequence)
    {
        for (int i = 0; i < _valid.Length; i++)
        {
            if (_valid[i] && _sequence[i] == sequence)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The reason of the newest entry for this configId (and this digest, when <paramref name="digest"/> is not null), or
    /// <see cref="CotaStatus.None"/> when the log holds none.
    /// </summary>
    internal CotaStatus Find(byte[] id, int offset, int count, byte[] digest)
    {
        int best = -1;
        for (int i = 0; i < _valid.Length; i++)
        {
            if (!_valid[i] || _idLength[i] != count || (best >= 0 && StoredBytes.IsAfter(_sequence[best], _sequence[i])))
            {
                continue;
            }

            if (ConstantTime.AreEqual(_ids, i * ConfigOffer.MaxConfigIdLength, count, id, offset, count)
                && (digest == null || ConstantTime.AreEqual(_digests, i * ConfigOffer.DigestLength, ConfigOffer.DigestLength, digest, 0, ConfigOffer.DigestLength)))
            {
                best = i;
            }
        }

        return best < 0 ? CotaStatus.None : (CotaStatus)_reason[best];
    }

    /// <summary>Empties the JSON buffer and returns the writer over it; write the result's members, then <see cref="Add"/>.</summary>
    internal JsonWriter Begin()
    {
        _loaded = -1;
        _writer.Reset();
        return _writer;
    }

    /// <summary>Stores what was written since <see cref="Begin"/> as a new unsent entry.</summary>
    /// <param name="sequence">The offer's sequence.</param>
    /// <param name="id">The configId bytes (may be empty).</param>
    /// <param name="idCount">The configId's length.</param>
    /// <param name="digest">The offer's digest, or null when unknown.</param>
    /// <param name="reason">Why the offer ended (<see cref="CotaStatus.Ok"/>: applied).</param>
    /// <returns><see cref="StorageStatus.Ok"/>, or why the write failed (the entry is then absent; <see cref="StorageStatus.NewerRecord"/> when every slot holds a newer firmware's entry).</returns>
    internal StorageStatus Add(uint sequence, byte[] id, int idCount, byte[] digest, CotaStatus reason)
    {
        int slot = FreeSlot(id, idCount);
        if (slot < 0)
        {
            return StorageStatus.NewerRecord;
        }
        if (_valid[slot] && !_sent[slot])
        {
            if (!CotaNames.IsRefusal((CotaStatus)_reason[slot]))
            {
                // Every slot holds a result the cloud has not had: an accepted offer's is never pushed out. The new one
                // waits (the service takes no offer meanwhile) until one is sent.
                return StorageStatus.Full;
            }

            _log.Write(LogLevel.Warning, "cota", "result of config " + ConfigIdText(slot) + ", offer " + _sequence[slot].ToString()
                + " (a refusal) lost unsent: every result slot holds one the cloud has not had");
        }

        if (slot == _sendSlot)
        {
            // The result in flight is overwritten: its reply must not mark the new one.
            _sendSlot = -1;
        }

        byte[] e = _entry;
        StoredBytes.Begin(e, HeaderSize, Magic, sequence);
        e[8] = (byte)reason;
        e[9] = (byte)idCount;
        if (digest != null)
        {
            System.Array.Copy(digest, 0, e, 12, ConfigOffer.DigestLength);
        }

        System.Array.Copy(id, 0, e, 44, idCount);
        int length = _writer.Length;
        StoredBytes.WriteUInt16(e, 108, length);
        StoredBytes.WriteUInt32(e, CrcAt, Crc(length));
        _valid[slot] = false;
        StorageStatus status = _storage.Write(_areas[slot], 0, e, 0, HeaderSize + length);
        if (status == StorageStatus.Ok)
        {
            _valid[slot] = true;
            Remember(slot);
        }

        return status;
    }

    // The slot of the oldest unsent entry, or -1.
    private int OldestUnsent()
    {
        int best = -1;
        for (int i = 0; i < _valid.Length; i++)
        {
            if (_valid[i] && !_sent[i] && (best < 0 || StoredBytes.IsAfter(_sequence[best], _sequence[i])))
            {
                best = i;
            }
        }

        return best;
    }

    // Reads the entry in slot for WriteMembers; false when it cannot be read now (tried again after a backoff), or no
    // longer reads back whole (it then counts as empty).
    private bool LoadForSending(int slot)
    {
        int length = ReadEntry(slot);
        if (length < 0)
        {
            _loaded = -1;
            if (StoredBytes.ReadError(_storage, _areas[slot], _entry) != StorageStatus.Ok)
            {
                // A read error says nothing of the entry: it stays, unsent, for the next try.
                _resendAt = _clock.MonotonicMs + _retry.DelayMs(++_sendFailures);
                return false;
            }

            _valid[slot] = false;
            return false;
        }

        _loaded = slot;
        _loadedLength = length;
        return true;
    }

    private string ConfigIdText(int slot) => Utf8.GetString(_ids, slot * ConfigOffer.MaxConfigIdLength, _idLength[slot]);

    // Marks the entry in slot as delivered: one byte written.
    private StorageStatus MarkSent(int slot)
    {
        StorageStatus status = _storage.Write(_areas[slot], SentAt, SentMark, 0, 1);
        if (status == StorageStatus.Ok)
        {
            _sent[slot] = true;
        }

        _loaded = -1;
        return status;
    }

    /// <inheritdoc/>
    public void WriteMembers(JsonWriter writer)
    {
        if (_loaded >= 0)
        {
            writer.WriteRaw(_entry, HeaderSize, _loadedLength);
        }
    }

    // An empty slot, else a sent one of the same configId (its newest result is what to remember of it), else the oldest
    // sent one, else the oldest of all; never one holding a newer firmware's entry (-1 when all do), nor, with two slots
    // or more, the newest entry: a cut while it is overwritten would lose the highest sequence handed out, and the
    // next boot would hand it out again.
    private int FreeSlot(byte[] id, int idCount)
    {
        int newest = _valid.Length > 1 ? NewestSlot() : -1;
        int oldestSent = -1;
        int oldest = -1;
        for (int i = 0; i < _valid.Length; i++)
        {
            if (_newer[i] || i == newest)
            {
                continue;
            }

            if (!_valid[i])
            {
                return i;
            }

            if (_sent[i] && _idLength[i] == idCount && ConstantTime.AreEqual(_ids, i * ConfigOffer.MaxConfigIdLength, idCount, id, 0, idCount))
            {
                oldestSent = i;
                break;
            }

            if (_sent[i] && (oldestSent < 0 || StoredBytes.IsAfter(_sequence[oldestSent], _sequence[i])))
            {
                oldestSent = i;
            }

            if (oldest < 0 || StoredBytes.IsAfter(_sequence[oldest], _sequence[i]))
            {
                oldest = i;
            }
        }

        return oldestSent >= 0 ? oldestSent : oldest;
    }

    // The slot of the entry with the highest sequence, or -1 when every slot is empty.
    private int NewestSlot()
    {
        int newest = -1;
        for (int i = 0; i < _valid.Length; i++)
        {
            if (_valid[i] && (newest < 0 || StoredBytes.IsAfter(_sequence[i], _sequence[newest])))
            {
                newest = i;
            }
        }

        return newest;
    }

    // Reads slot's entry into _entry; its JSON length, or -1 when it is absent, torn or foreign.
    private int ReadEntry(int slot)
    {
        string area = _areas[slot];
        if (!StoredBytes.ReadTagged(_storage, area, 0, _entry, HeaderSize, Magic))
        {
            return -1;
        }

        int length = StoredBytes.ReadUInt16(_entry, 108);
        if (length > _entry.Length - HeaderSize || _entry[9] > ConfigOffer.MaxConfigIdLength
            || !StoredBytes.ReadFully(_storage, area, HeaderSize, _entry, HeaderSize, length) || Crc(length) != StoredBytes.ReadUInt32(_entry, CrcAt))
        {
            return -1;
        }

        return length;
    }

    private void Remember(int slot)
    {
        byte[] e = _entry;
        _sent[slot] = e[SentAt] != 0;
        _sequence[slot] = StoredBytes.ReadUInt32(e, 4);
        _reason[slot] = e[8];
        _idLength[slot] = e[9];
        System.Array.Copy(e, 12, _digests, slot * ConfigOffer.DigestLength, ConfigOffer.DigestLength);
        System.Array.Copy(e, 44, _ids, slot * ConfigOffer.MaxConfigIdLength, ConfigOffer.MaxConfigIdLength);
    }

    private uint Crc(int jsonLength)
    {
        uint crc = Crc32.Update(Crc32.Initial, _entry, 0, SentAt);
        crc = Crc32.Update(crc, _entry, SentAt + 1, CrcAt - SentAt - 1);
        return Crc32.Update(crc, _entry, HeaderSize, jsonLength);
    }
}
