using System;
using CotaFirmware.Platform;

namespace CotaFirmware.Mqtt;

// The loop, as coreMQTT's process loop: read, decode through the codec, dispatch, keep the session alive, and write.
public sealed partial class MqttClient
{
    /// <summary>Reads and services until <paramref name="deadline"/>, or until the session ends or (while connecting) is accepted.</summary>
    private void Run(long deadline)
    {
        int generation = _generation;
        bool connecting = _connecting;
        while (true)
        {
            long now = _clock.MonotonicMs;
            long next = NextTimerMs();
            long until = next < deadline ? next : deadline;
            int wait = until > now ? (int)(until - now) : 0;
            if (_rxStart > 0 && _rxEnd == _rx.Length)
            {
                // Move a partial packet to the front only when the buffer's end is reached: one copy per buffer, not per read.
                Array.Copy(_rx, _rxStart, _rx, 0, _rxEnd - _rxStart);
                _rxEnd -= _rxStart;
                _rxStart = 0;
            }

            // Read before the timers are judged, as coreMQTT's loop does: an answer that came while the caller was busy
            // elsewhere (a PINGRESP behind a 10 s download request) is in the channel, not late.
            int n = _channel.Read(_rx, _rxEnd, _rx.Length - _rxEnd, wait);
            if (n > 0)
            {
                _rxEnd += n;
                _lastRxMs = _clock.MonotonicMs;
                Parse();
            }
            else if (n < 0)
            {
                _lastChannelStatus = (ChannelStatus)n;
                End(MqttStatus.ChannelFailed);
            }

            if (generation == _generation && connecting == _connecting)
            {
                Service(_clock.MonotonicMs, n == 0);
            }

            if (generation != _generation || connecting != _connecting || _clock.MonotonicMs >= deadline)
            {
                return; // ended (by the peer or a timer), accepted, or done
            }
        }
    }

    // Keeps the session's timers. A PINGRESP is judged late only once a read found the channel empty (drained): bytes
    // still coming in are the peer alive, and the PINGRESP may be among them.
    private void Service(long now, bool drained)
    {
        if (_connecting)
        {
            if (now >= _connackDeadlineMs)
            {
                End(MqttStatus.ConnackTimeout);
            }

            return;
        }

        if (!_connected)
        {
            return;
        }

        if (_pingOutstanding)
        {
            if (drained && now - _pingSentMs >= _pingTimeoutMs)
            {
                End(MqttStatus.PingTimeout);
            }

            return;
        }

        // Ping when either direction was idle for a keep-alive period: a link that only sends could be dead.
        long idleSince = _lastTxMs < _lastRxMs ? _lastTxMs : _lastRxMs;
        if (now - idleSince >= _keepAliveMs)
        {
            if (Send(_ctl, 0, MqttCodec.WriteEmpty(_ctl, 0, MqttCodec.Pingreq)) == MqttStatus.Ok)
            {
                _pingOutstanding = true;
                _pingSentMs = now;
            }
        }
    }

    private long NextTimerMs()
    {
        if (_connecting)
        {
            return _connackDeadlineMs;
        }

        if (_pingOutstanding)
        {
            return _pingSentMs + _pingTimeoutMs;
        }

        return (_lastTxMs < _lastRxMs ? _lastTxMs : _lastRxMs) + _keepAliveMs;
    }

    /// <summary>Ends the session (or the attempt); nothing happens when there is none. The channel stays its owner's to close.</summary>
    private void End(MqttStatus reason)
    {
        if (!_connected && !_connecting)
        {
            return;
        }

        _connected = false;
        _connecting = false;
        ResetSession();
        _lastReason = reason;
    }

    // A session starts or ends: the receive buffer and the ping are forgotten, and loops of the old session stop at
    // their next generation check.
    private void ResetSession()
    {
        _generation++;
        _rxStart = 0;
        _rxEnd = 0;
        _drainLeft = 0;
        _pingOutstanding = false;
    }

    private void OnAccepted(bool sessionPresent)
    {
        _connecting = false;
        _connected = true;
        _sessionPresent = sessionPresent;
        long now = _clock.MonotonicMs;
        _lastRxMs = now;
        _lastTxMs = now;
        int generation = _generation;
        MqttInFlight inFlight = _inFlight;
        for (int i = 0; i < inFlight.Count && generation == _generation; i++)
        {
            Send(inFlight.Slab, inFlight.MarkSent(i), inFlight.LengthOf(i));
        }

        if (generation == _generation)
        {
            _lastReason = MqttStatus.Ok;
        }
    }

    private MqttStatus Send(byte[] buffer, int offset, int count)
    {
        if (!_connected && !_connecting)
        {
            return MqttStatus.NotConnected;
        }

        int done = 0;
        long since = -1;
        while (done < count)
        {
            int n = _channel.Write(buffer, offset + done, count - done);
            if (n < 0)
            {
                _lastChannelStatus = (ChannelStatus)n;
                End(MqttStatus.ChannelFailed);
                return MqttStatus.ChannelFailed;
            }

            if (n == 0)
            {
                long now = _clock.MonotonicMs;
                if (since < 0)
                {
                    since = now;
                }
                else if (now - since >= _writeTimeoutMs)
                {
                    End(MqttStatus.WriteTimeout);
                    return MqttStatus.WriteTimeout;
                }

                _clock.Wait(1);
                continue;
            }

            done += n;
            since = -1;
        }

        _lastTxMs = _clock.MonotonicMs;
        return MqttStatus.Ok;
    }

    // ---- receive path ----

    /// <summary>Consumes every complete packet in the receive buffer; stops at a partial one, or when the connection is lost.</summary>
    private void Parse()
    {
        int generation = _generation;
        byte[] rx = _rx;
        while (generation == _generation)
        {
            int avail = _rxEnd - _rxStart;
            if (_drainLeft > 0)
            {
                int take = avail < _drainLeft ? avail : _drainLeft;
                _rxStart += take;
                _drainLeft -= take;
                if (_drainLeft > 0)
                {
                    _rxStart = 0;
                    _rxEnd = 0;
                    return;
                }

                continue;
            }

            if (avail < 2)
            {
                break;
            }

            int first = rx[_rxStart];
            int remaining;
            int headerLength = MqttCodec.ReadFixedHeader(rx, _rxStart, avail, out remaining);
            if (headerLength <= 0)
            {
                if (headerLength < 0)
                {
                    End(MqttStatus.MalformedRemainingLength);
                    return;
                }

                break;
            }

            if (remaining > rx.Length - headerLength)
            {
                // Oversize: wait until the buffer is full of its prefix, report what the prefix shows, then skip the rest.
                if (_rxStart > 0 || _rxEnd < rx.Length)
                {
                    break;
                }

                _rxStart = _rxEnd;
                _drainLeft = headerLength + remaining - rx.Length;
                Oversize(first, headerLength, remaining);
                continue;
            }

            int total = headerLength + remaining;
            if (avail < total)
            {
                break;
            }

            int body = _rxStart + headerLength;
            _rxStart += total; // consumed before dispatch, so a throwing handler cannot make it loop
            if (_connecting)
            {
                // The CONNACK, read alone as coreMQTT reads it: what came behind it in the same read (a resumed session's
                // kept messages) stays in the buffer for the first Yield, once Connect has returned and the caller
                // counts itself connected and has subscribed. A session that ends before then never acknowledged them.
                Dispatch(first, body, remaining);
                break;
            }

            if ((first >> 4) != MqttCodec.Publish)
            {
                Dispatch(first, body, remaining);
                continue;
            }

            // A PUBLISH in session, the common packet, is handled here rather than through Dispatch: one call less.
            int id = MqttCodec.ReadPublish(rx, first, body, remaining, remaining, _message);
            if (id < 0)
            {
                End((MqttStatus)(-id));
                return;
            }

            MqttMessageHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(_message);
            }

            if (id != 0)
            {
                Acknowledge(id);
            }
        }

        if (_rxStart == _rxEnd && generation == _generation)
        {
            _rxStart = 0;
            _rxEnd = 0;
        }
    }

    private void Dispatch(int first, int body, int length)
    {
        MqttStatus header = MqttCodec.CheckServerHeader(first);
        if (header != MqttStatus.Ok)
        {
            End(header);
            return;
        }

        int type = first >> 4;
        byte[] rx = _rx;
        if (_connecting)
        {
            if (type != MqttCodec.Connack)
            {
                End(MqttStatus.ProtocolViolation);
                return;
            }

            bool sessionPresent;
            MqttStatus accepted = MqttCodec.ReadConnack(rx, body, length, out sessionPresent);
            if (accepted != MqttStatus.Ok)
            {
                End(accepted);
                return;
            }

            OnAccepted(sessionPresent);
            return;
        }

        int id;
        switch (type)
        {
            case MqttCodec.Puback:
            case MqttCodec.Unsuback:
                id = MqttCodec.ReadAck(rx, body, length);
                if (id < 0)
                {
                    End((MqttStatus)(-id));
                }
                else if (type == MqttCodec.Puback && _inFlight.Remove(id))
                {
                    MqttPublishAckHandler acked = PublishAcknowledged;
                    if (acked != null)
                    {
                        acked(id);
                    }
                }

                return; // an ack for an id no longer in flight is a duplicate after a resend: nothing to do
            case MqttCodec.Suback:
                int code;
                id = MqttCodec.ReadSuback(rx, body, length, out code);
                if (id < 0)
                {
                    End((MqttStatus)(-id));
                    return;
                }

                MqttSubscribeHandler subscribed = SubscribeAcknowledged;
                if (subscribed != null)
                {
                    subscribed(id, code);
                }

                return;
            case MqttCodec.Pingresp:
                if (length != 0)
                {
                    End(MqttStatus.MalformedLength);
                    return;
                }

                _pingOutstanding = false;
                return;
            default:
                End(MqttStatus.ProtocolViolation); // a second CONNACK, or a QoS 2 flow this client never starts (PUBLISH is handled in Parse)
                return;
        }
    }

    private void Oversize(int first, int headerLength, int remaining)
    {
        MqttMessage m = _message;
        m.Set(0, 0, 0, 0, 0, 0);
        int id = 0;
        MqttStatus header = MqttCodec.CheckServerHeader(first);
        if (header != MqttStatus.Ok || !_connected)
        {
            End(header != MqttStatus.Ok ? header : MqttStatus.ProtocolViolation);
            return;
        }

        if ((first >> 4) == MqttCodec.Publish)
        {
            id = MqttCodec.ReadPublish(_rx, first, headerLength, remaining, _rx.Length - headerLength, m);
            if (id < 0)
            {
                End((MqttStatus)(-id));
                return;
            }

            // The view holds the part of the payload that fit (so an id near its start can still be read).
            int offset = m.PayloadOffset;
            int fit = m.TopicCount == 0 ? 0 : _rx.Length - offset;
            if (fit <= 0)
            {
                fit = 0;
                if (offset > _rx.Length)
                {
                    offset = _rx.Length; // the payload lies beyond the buffer: an empty view at its end
                }
            }

            m.SetPayloadView(offset, fit < m.PayloadSize ? fit : m.PayloadSize);
        }

        MqttOversizeHandler handler = OversizeReceived;
        if (handler != null)
        {
            handler(m, headerLength + remaining);
        }

        Acknowledge(id);
    }

    private void Acknowledge(int id)
    {
        if (id != 0 && _connected)
        {
            Send(_ctl, 0, MqttCodec.WriteAck(_ctl, 0, MqttCodec.Puback, id));
        }
    }
}
