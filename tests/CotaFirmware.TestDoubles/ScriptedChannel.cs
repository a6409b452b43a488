using System;
using CotaFirmware.Platform;
using CotaFirmware.Tests.Platform;

namespace CotaFirmware.Tests.Mqtt;

/// <summary>A scripted byte channel: the test queues what the broker sends, and reads back what the client wrote, packet by packet.</summary>
/// <remarks>A read with nothing queued moves the test clock by its timeout, as time would pass while waiting. Buffers stay small for the device test runner.</remarks>
public sealed class ScriptedChannel : IByteChannel
{
    private readonly ManualClock _clock;
    private readonly byte[] _in;
    private int _inRead;
    private int _inWrite;
    private readonly byte[] _out;
    private int _outWrite;
    private int _outCursor;

    /// <summary>A channel that holds 8 KB each way.</summary>
    public ScriptedChannel(ManualClock clock)
        : this(clock, 8192)
    {
    }

    /// <summary>A channel that holds <paramref name="capacity"/> bytes each way.</summary>
    public ScriptedChannel(ManualClock clock, int capacity)
    {
        _clock = clock;
        _in = new byte[capacity];
        _out = new byte[capacity];
    }

    /// <summary>When set, a read that finds nothing queued is served this frame again: a broker that sends it forever.</summary>
    public byte[] Replay;

    /// <summary>Cleared, what the client writes is accepted and dropped, so a run of any length fits (for benchmarks and fuzzing).</summary>
    public bool KeepsWritten = true;

    /// <summary>What the next Connect returns.</summary>
    public ChannelStatus ConnectResult;

    /// <summary>When not Ok, every Read returns this failure.</summary>
    public ChannelStatus ReadFailure;

    /// <summary>The most bytes one Read returns (to split frames).</summary>
    public int MaxChunk = int.MaxValue;

    /// <summary>How far a read that hands out bytes moves the test clock: bytes that keep coming still take time to arrive.</summary>
    public int MsPerRead;

    /// <summary>True when the connection is open.</summary>
    public bool IsOpen;

    /// <summary>How many times Connect was called.</summary>
    public int Connects;

    /// <summary>How many times Close was called.</summary>
    public int Closes;

    /// <summary>When set, a read that finds nothing queued sees the peer's close instead of a timeout.</summary>
    public bool PeerClosed;

    /// <summary>The host of the last Connect.</summary>
    public string LastHost;

    /// <summary>The port of the last Connect.</summary>
    public int LastPort;

    /// <summary>The TLS flag of the last Connect.</summary>
    public bool LastTls;

    public ChannelStatus Connect(string host, int port, bool tls, int timeoutMs)
    {
        Connects++;
        LastHost = host;
        LastPort = port;
        LastTls = tls;
        IsOpen = ConnectResult == ChannelStatus.Ok;
        return ConnectResult;
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (!IsOpen)
        {
            return (int)ChannelStatus.Closed;
        }

        if (ReadFailure != ChannelStatus.Ok)
        {
            return (int)ReadFailure;
        }

        int avail = _inWrite - _inRead;
        if (avail == 0 && Replay != null)
        {
            _inRead = 0;
            _inWrite = 0;
            Queue(Replay);
            avail = Replay.Length;
        }

        if (avail == 0 && PeerClosed)
        {
            return (int)ChannelStatus.Closed;
        }

        if (avail == 0)
        {
            _clock.Advance(timeoutMs);
            return 0;
        }

        int n = avail < count ? avail : count;
        if (n > MaxChunk)
        {
            n = MaxChunk;
        }

        Array.Copy(_in, _inRead, buffer, offset, n);
        _inRead += n;
        _clock.Advance(MsPerRead);
        return n;
    }

    public int Write(byte[] buffer, int offset, int count)
    {
        if (!IsOpen)
        {
            return (int)ChannelStatus.Closed;
        }

        if (KeepsWritten)
        {
            Array.Copy(buffer, offset, _out, _outWrite, count);
            _outWrite += count;
        }

        return count;
    }

    public void Close()
    {
        Closes++;
        IsOpen = false;
    }

    /// <summary>Queues bytes for the client to read.</summary>
    public void Queue(byte[] bytes, int offset, int count)
    {
        Array.Copy(bytes, offset, _in, _inWrite, count);
        _inWrite += count;
    }

    /// <summary>Queues bytes for the client to read.</summary>
    public void Queue(byte[] bytes) => Queue(bytes, 0, bytes.Length);

    /// <summary>Forgets everything queued and written, so a long run fits the fixed buffers.</summary>
    public void Clear()
    {
        _inRead = 0;
        _inWrite = 0;
        _outWrite = 0;
        _outCursor = 0;
    }

    /// <summary>Bytes queued but not yet read.</summary>
    public int Unread => _inWrite - _inRead;

    /// <summary>Every byte the client wrote.</summary>
    public byte[] Written => _out;

    /// <summary>How many bytes the client wrote.</summary>
    public int WrittenCount => _outWrite;

    /// <summary>Skips what the client wrote so far.</summary>
    public void SkipWritten() => _outCursor = _outWrite;

    /// <summary>The next packet the client wrote since the last call: its first byte, or -1 when none; body offset and length into <see cref="Written"/>.</summary>
    public int NextWritten(out int body, out int length)
    {
        body = 0;
        length = 0;
        if (_outCursor >= _outWrite)
        {
            return -1;
        }

        int first = _out[_outCursor];
        body = _outCursor + CotaFirmware.Mqtt.MqttCodec.ReadFixedHeader(_out, _outCursor, _outWrite - _outCursor, out length);
        _outCursor = body + length;
        return first;
    }

    /// <summary>How many packets of <paramref name="type"/> the client wrote since the last <see cref="SkipWritten"/>/<see cref="NextWritten"/>; consumes them all.</summary>
    public int CountWritten(int type)
    {
        int n = 0;
        int body;
        int length;
        int first;
        while ((first = NextWritten(out body, out length)) >= 0)
        {
            if ((first >> 4) == type)
            {
                n++;
            }
        }

        return n;
    }
}
