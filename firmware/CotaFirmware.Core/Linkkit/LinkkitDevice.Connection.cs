using CotaFirmware.Mqtt;
using CotaFirmware.Platform;

namespace CotaFirmware.Linkkit;

// The connection supervisor: connect, yield, backoff, the take-over guess, drop and close, and what the session
// reports of the connection.
public sealed partial class LinkkitDevice
{
    // A take-over: the platform closing the connection soon after it was made, this many times in a row, is another
    // device logging in with this identity (two boards with one device.json), as Aliyun keeps one connection per device.
    private const int TakeoverLimit = 3;

    // Enough failures for the backoff's longest bound with any settings.
    private const int MaxFailures = 30;
    private const int ShortConnectionMs = 60000;

    /// <summary>
    /// IOT_Linkkit_Connect: connects now, and keeps the device connected until <see cref="Close"/>. An attempt signs the
    /// credentials with a fresh timestamp, connects the MQTT session, subscribes every route and reply topic, then raises
    /// <see cref="Connected"/>. When it fails, <see cref="Yield"/> tries again after a backoff wait, as after a lost connection.
    /// </summary>
    /// <returns><see cref="LinkkitStatus.Ok"/> (also when already connected); otherwise why this attempt failed
    /// (<see cref="LinkkitStatus.ConnectFailed"/>, <see cref="LinkkitStatus.SubscribeFailed"/>, a signing or validation
    /// failure) or <see cref="LinkkitStatus.Closed"/>.</returns>
    public LinkkitStatus Connect()
    {
        if (_closed)
        {
            return LinkkitStatus.Closed;
        }

        if (_connected)
        {
            return LinkkitStatus.Ok;
        }

        _supervising = true;
        return Attempt();
    }

    /// <summary>
    /// IOT_Linkkit_Yield: services the MQTT session for up to <paramref name="timeoutMs"/>, delivering messages and
    /// replies, then ends the requests whose time is up. While not connected it makes the next connection attempt when
    /// its wait is over, and otherwise waits on the clock (at most <paramref name="timeoutMs"/>, never past the attempt).
    /// </summary>
    public void Yield(int timeoutMs)
    {
        if (_closed)
        {
            return;
        }

        if (!_connected && _supervising && _clock.MonotonicMs - _nextAttemptMs >= 0)
        {
            Attempt();
        }

        if (_connected)
        {
            _session.Yield(timeoutMs);
        }
        else if (timeoutMs > 0)
        {
            long untilAttempt = _nextAttemptMs - _clock.MonotonicMs;
            _clock.Wait(_supervising && untilAttempt < timeoutMs ? (untilAttempt > 0 ? (int)untilAttempt : 0) : timeoutMs);
        }

        if (_pending.Count > 0)
        {
            // Only then: a clock read is a lock and DateTime.UtcNow on the device, and this is the main loop.
            _pending.Expire(this, _clock.MonotonicMs);
        }
    }

    /// <summary>IOT_Linkkit_Close: disconnects, ends every pending request with <see cref="ReplyStatus.Closed"/>, and refuses further use.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _supervising = false;
        bool wasConnected = _connected;
        _connected = false;
        _session.SetListener(null);
        _session.Disconnect();
        _pending.EndAll(this, ReplyStatus.Closed);
        if (wasConnected)
        {
            RaiseDisconnected();
        }
    }

    /// <summary>
    /// Ends the connection because the network under it is gone: the board hears of that before the session does, whose
    /// socket may linger until a ping goes unanswered. Pending requests end <see cref="ReplyStatus.Disconnected"/> and
    /// the device stays supervised; <see cref="Connect"/> tries again at once when the network is back.
    /// </summary>
    public void Drop()
    {
        if (_closed || !_connected)
        {
            return;
        }

        _session.Disconnect();
        ((IMqttSessionListener)this).OnConnectionLost(MqttStatus.ClosedByCaller);
    }

    /// <inheritdoc/>
    void IMqttSessionListener.OnConnectionLost(MqttStatus reason)
    {
        if (!_connected)
        {
            return;
        }

        _connected = false;
        bool quick = _clock.MonotonicMs - _connectedAtMs < ShortConnectionMs;
        _shortConnections = quick && reason == MqttStatus.ChannelFailed ? _shortConnections + 1 : 0;
        _refusedSessions = quick && reason >= MqttStatus.MalformedRemainingLength ? _refusedSessions + 1 : 0;
        if (_shortConnections >= TakeoverLimit)
        {
            // Taking the session back would only close the other device's connection in turn: wait the longest instead.
            _failures = MaxFailures;
            int longest = _backoff.DelayMs(_failures);
            _nextAttemptMs = _clock.MonotonicMs + longest;
            _log.Write(LogLevel.Error, "linkkit", "the platform closed this connection " + _shortConnections.ToString()
                + " times in a row, each within " + (ShortConnectionMs / 1000).ToString() + " s of connecting: another device is using the identity "
                + _identity.ToString() + "; reconnecting in " + longest.ToString() + " ms instead of taking the session back");
        }
        else
        {
            // A broker or proxy that sends what this client refuses will send it again: sessions that keep breaking on
            // that soon after their CONNACK back off further each time instead of reconnecting every second.
            _failures = _refusedSessions < 1 ? 1 : _refusedSessions < MaxFailures ? _refusedSessions : MaxFailures;
            int wait = _backoff.DelayMs(_failures);
            _nextAttemptMs = _clock.MonotonicMs + wait;
            _log.Write(LogLevel.Warning, "linkkit", "connection lost: " + MqttNames.Of(reason) + "; reconnecting in " + wait.ToString() + " ms");
        }

        _pending.EndAll(this, ReplyStatus.Disconnected);
        RaiseDisconnected();
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Logged, once per connect, and the connection kept: a device that cannot receive one topic still reports, asks
    /// and sends results on the others, which is better than offline; the platform closes the connection itself when it
    /// will not keep it.
    /// </remarks>
    void IMqttSessionListener.OnSubscribeRefused(string filter)
    {
        _log.Write(LogLevel.Error, "linkkit", "subscription refused: " + filter);
    }

    // One connection attempt; a failure schedules the next one.
    private LinkkitStatus Attempt()
    {
        LinkkitStatus status = ConnectOnce();
        if (status != LinkkitStatus.Ok && !_closed)
        {
            // A device that takes the session over lets this one straight back in; an attempt that fails means the
            // platform itself was away (restarted, unreachable), so the closes before it were no takeover.
            _shortConnections = 0;
            if (_failures < MaxFailures)
            {
                _failures++;
            }

            int wait = _backoff.DelayMs(_failures);
            _nextAttemptMs = _clock.MonotonicMs + wait;
            _log.Write(LogLevel.Info, "linkkit", "next connection attempt in " + wait.ToString() + " ms");
        }

        return status;
    }

    private LinkkitStatus ConnectOnce()
    {
        long timestamp = _clock.UnixTimeMs;
        ConnectionCredentials c = _credentials;
        LinkkitStatus status = timestamp > 0
            ? _signer.SignConnection(_identity, _settings, timestamp, c)
            : _signer.SignConnectionWithoutClock(_identity, _settings, _clock.MonotonicMs, c);
        if (status != LinkkitStatus.Ok)
        {
            _log.Write(LogLevel.Error, "linkkit", "cannot sign the connection: " + LinkkitNames.Of(status));
            return status;
        }

        IBrokerEndpoint endpoint = BrokerEndpoint;
        string host;
        int port;
        if (endpoint != null && endpoint.TryRead(out host, out port))
        {
            if (host != null && host.Length > 0 && port > 0 && port <= 65535)
            {
                c.Host = host;
                c.Port = port;
            }
            else
            {
                _log.Write(LogLevel.Warning, "linkkit", "the board's broker endpoint is not usable; using the settings' one");
            }
        }

        MqttStatus mqtt = _session.Connect(c, _settings.ConnectTimeoutMs);
        c.Password = null;
        if (mqtt != MqttStatus.Ok)
        {
            _log.Write(LogLevel.Warning, "linkkit", "connect to " + c.Host + ":" + c.Port.ToString() + " failed: " + MqttNames.Of(mqtt));
            return LinkkitStatus.ConnectFailed;
        }

        for (int i = 0; i < _topics.Count; i++)
        {
            string filter = _topics.Filter(i);
            if (filter != null && _session.Subscribe(filter, 0) != MqttStatus.Ok)
            {
                _log.Write(LogLevel.Warning, "linkkit", "subscribe failed: " + filter);
                _session.Disconnect();
                return LinkkitStatus.SubscribeFailed;
            }
        }

        _connected = true;
        _failures = 0;
        _connectedAtMs = _clock.MonotonicMs;
        _log.Write(LogLevel.Info, "linkkit", "connected to " + c.Host + ":" + c.Port.ToString() + " as " + _identity.ToString());
        LinkkitConnectionHandler connected = Connected;
        if (connected != null)
        {
            connected(this);
        }

        return LinkkitStatus.Ok;
    }

    private void RaiseDisconnected()
    {
        LinkkitConnectionHandler disconnected = Disconnected;
        if (disconnected != null)
        {
            disconnected(this);
        }
    }
}
