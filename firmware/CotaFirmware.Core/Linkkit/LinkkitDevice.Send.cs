using System;
using CotaFirmware.Json;
using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Linkkit;

// What the device sends, written in place in its one transmit buffer: requests (Query, Report, TriggerEvent) as
// {"id":"n","version":"1.0","params":{..},"method":".."} with the next id, waiting in PendingRequests for their reply
// on {topic}_reply or their timeout; and free-form messages (an ack) through BeginMessage and Publish.
public sealed partial class LinkkitDevice
{
    private static readonly byte[] VersionValue = Utf8.GetBytes("1.0");

    private readonly byte[] _tx;
    private readonly JsonWriter _writer;
    private readonly byte[] _idText = new byte[11];

    /// <summary>
    /// IOT_Linkkit_Query: sends a request on the request topic <paramref name="topic"/> with the next id and the
    /// params written by <paramref name="parameters"/> (null for <c>{}</c>). When <paramref name="reply"/> is set,
    /// the request waits for its reply up to <paramref name="timeoutMs"/> (0 or less: the settings' default).
    /// </summary>
    /// <returns>The request id (1 or more), or a negative <see cref="LinkkitStatus"/> value as an int.</returns>
    public int Query(int topic, IJsonMembers parameters, IReplyHandler reply, int timeoutMs)
    {
        byte[] method = _topics.Method(topic);
        if (method == null)
        {
            throw new ArgumentOutOfRangeException(nameof(topic));
        }

        if (_closed)
        {
            return (int)LinkkitStatus.Closed;
        }

        if (!_connected)
        {
            return (int)LinkkitStatus.NotConnected;
        }

        int slot = -1;
        if (reply != null)
        {
            slot = _pending.FreeSlot();
            if (slot < 0)
            {
                return (int)LinkkitStatus.TooManyPending;
            }
        }

        int id = _pending.NextId();
        int idLength = Decimal(id, _idText);
        JsonWriter w = _writer;
        w.Reset();
        w.BeginObject();
        w.WriteName(EnvelopeNames.Id);
        w.WriteString(_idText, 0, idLength);
        w.WriteProperty(EnvelopeNames.Version, VersionValue);
        w.WriteName(EnvelopeNames.Params);
        w.BeginObject();
        if (parameters != null)
        {
            parameters.WriteMembers(w);
        }

        if (w.Depth != 2)
        {
            throw new InvalidOperationException("request params left objects open or closed too many");
        }

        w.EndObject();
        w.WriteProperty(EnvelopeNames.Method, method);
        w.EndObject();
        if (w.Overflowed)
        {
            _log.Write(LogLevel.Warning, "linkkit", "request does not fit the transmit buffer");
            return (int)LinkkitStatus.PayloadTooLarge;
        }

        if (slot >= 0)
        {
            _pending.Add(slot, id, topic, _clock.MonotonicMs + (timeoutMs > 0 ? timeoutMs : _settings.RequestTimeoutMs), reply);
        }

        byte[] t = _topics.PublishTopic(topic);
        if (_session.Publish(t, 0, t.Length, _tx, 0, w.Length, 0) != MqttStatus.Ok)
        {
            if (slot >= 0)
            {
                _pending.Remove(slot);
            }

            return (int)LinkkitStatus.PublishFailed;
        }

        return id;
    }

    /// <summary>IOT_Linkkit_Report (property post): sends <c>thing.event.property.post</c> with the given params.</summary>
    /// <returns>The request id, or a negative <see cref="LinkkitStatus"/> value as an int.</returns>
    public int Report(IJsonMembers properties, IReplyHandler reply) => Query(PropertyPostTopic, properties, reply, 0);

    /// <summary>IOT_Linkkit_TriggerEvent: posts the event defined with <see cref="DefineEvent"/> with the given params.</summary>
    /// <returns>The request id, or a negative <see cref="LinkkitStatus"/> value as an int.</returns>
    public int TriggerEvent(int eventTopic, IJsonMembers parameters, IReplyHandler reply) => Query(eventTopic, parameters, reply, 0);

    /// <summary>Starts a free-form message in the transmit buffer (an ack, for example) for <see cref="Publish(int, int)"/>.</summary>
    /// <returns>The writer over the transmit buffer, emptied.</returns>
    public JsonWriter BeginMessage()
    {
        _writer.Reset();
        return _writer;
    }

    /// <summary>Publishes the message written since <see cref="BeginMessage"/> on <paramref name="topic"/> at QoS <paramref name="qos"/>.</summary>
    /// <returns><see cref="LinkkitStatus.Ok"/>, <see cref="LinkkitStatus.PayloadTooLarge"/> when it overflowed, or another failure.</returns>
    public LinkkitStatus Publish(int topic, int qos)
    {
        if (_writer.Overflowed)
        {
            return LinkkitStatus.PayloadTooLarge;
        }

        if (!_writer.IsComplete)
        {
            throw new InvalidOperationException("the message is not complete JSON");
        }

        return Publish(topic, _tx, 0, _writer.Length, qos);
    }

    /// <summary>Publishes a payload view on the defined topic <paramref name="topic"/> at QoS <paramref name="qos"/> (0 or 1).</summary>
    /// <returns><see cref="LinkkitStatus.Ok"/>, or why not.</returns>
    public LinkkitStatus Publish(int topic, byte[] payload, int offset, int count, int qos)
    {
        byte[] t = _topics.PublishTopic(topic);
        if (t == null)
        {
            throw new ArgumentOutOfRangeException(nameof(topic));
        }

        if (qos < 0 || qos > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(qos));
        }

        if (_closed)
        {
            return LinkkitStatus.Closed;
        }

        if (!_connected)
        {
            return LinkkitStatus.NotConnected;
        }

        return _session.Publish(t, 0, t.Length, payload, offset, count, qos) == MqttStatus.Ok
            ? LinkkitStatus.Ok
            : LinkkitStatus.PublishFailed;
    }

    private static int Decimal(int value, byte[] into)
    {
        int digits = 1;
        for (int t = value / 10; t != 0; t /= 10)
        {
            digits++;
        }

        for (int i = digits - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        return digits;
    }
}
