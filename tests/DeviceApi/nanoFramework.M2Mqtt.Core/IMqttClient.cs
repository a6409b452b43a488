// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/nanoFramework.m2mqtt; the Core assembly's file list is nanoFramework.M2Mqtt.Core/nanoFramework.M2Mqtt.Core.nfproj
//         @ 05db90504a400a58a24cca253e603101792b041a (IMqttClient.cs, MqttSslProtocols.cs, Messages/MqttQoSLevel.cs, MqttReasonCode.cs,
//         MqttMsgPublishEventArgs.cs, MqttMsgPublishedEventArgs.cs, MqttMsgSubscribedEventArgs.cs, MqttMsgUnsubscribedEventArgs.cs);
//         the event delegates are nested in IMqttClient, as M2Mqtt/MqttClient.cs @ 0191675688e9f0a518668a5342b192a861aab9f3 uses them
//         (event IMqttClient.MqttMsgPublishEventHandler MqttMsgPublishReceived). Members follow that MqttClient.cs.
// Package: nanoFramework.M2Mqtt.Core 5.1.215 (a dependency of nanoFramework.M2Mqtt 5.1.215). The enums' underlying type is not
// established from the stored sources; their member values are.
using System;
using System.Collections;
using nanoFramework.M2Mqtt.Messages;

namespace nanoFramework.M2Mqtt
{
    public interface IMqttClient : IDisposable
    {
        public delegate void MqttMsgPublishEventHandler(object sender, MqttMsgPublishEventArgs e);

        public delegate void MqttMsgPublishedEventHandler(object sender, MqttMsgPublishedEventArgs e);

        public delegate void MqttMsgSubscribedEventHandler(object sender, MqttMsgSubscribedEventArgs e);

        public delegate void MqttMsgUnsubscribedEventHandler(object sender, MqttMsgUnsubscribedEventArgs e);

        public delegate void ConnectionClosedEventHandler(object sender, EventArgs e);

        event MqttMsgPublishEventHandler MqttMsgPublishReceived;

        event MqttMsgPublishedEventHandler MqttMsgPublished;

        event MqttMsgSubscribedEventHandler MqttMsgSubscribed;

        event MqttMsgUnsubscribedEventHandler MqttMsgUnsubscribed;

        event ConnectionClosedEventHandler ConnectionClosed;

        bool IsConnected { get; }

        void Init(string brokerHostName, int brokerPort, bool secure, byte[] caCert, byte[] clientCert, MqttSslProtocols sslProtocol);

        MqttReasonCode Connect(string clientId, string username, string password, bool cleanSession, ushort keepAlivePeriod);

        void Disconnect();

        void Close();

        ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels);

        ushort Unsubscribe(string[] topics);

        ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain);
    }

    public enum MqttSslProtocols
    {
        None,
        SSLv3,
        TLSv1_0,
        TLSv1_1,
        TLSv1_2,
        TLSv1_3,
    }
}

namespace nanoFramework.M2Mqtt.Messages
{
    public enum MqttQoSLevel
    {
        AtMostOnce = 0x00,
        AtLeastOnce = 0x01,
        ExactlyOnce = 0x02,
        GrantedFailure = 0x80,
    }

    public enum MqttReasonCode
    {
        Success = 0x00,
        UnacceptableProtocolVersion = 0x01,
        IdentifierRejected = 0x02,
        ServerUnavailable = 0x03,
        BadUsernameOrPassword = 0x04,
        NotAuthorized = 0x05,
        UnspecifiedError = 0x80,
    }

    public class MqttMsgPublishEventArgs : EventArgs
    {
        public MqttMsgPublishEventArgs(string topic, byte[] message, bool dupFlag, MqttQoSLevel qosLevel, bool retain) => throw null;
        public string Topic { get => throw null; internal set => throw null; }
        public byte[] Message { get => throw null; internal set => throw null; }
        public bool DupFlag { get => throw null; set => throw null; }
        public MqttQoSLevel QosLevel { get => throw null; internal set => throw null; }
        public bool Retain { get => throw null; internal set => throw null; }
    }

    public class MqttMsgPublishedEventArgs : EventArgs
    {
        public MqttMsgPublishedEventArgs(ushort messageId, bool isPublished) => throw null;
        public ushort MessageId { get => throw null; internal set => throw null; }
        public bool IsPublished { get => throw null; internal set => throw null; }
    }

    public class MqttMsgSubscribedEventArgs : EventArgs
    {
        public MqttMsgSubscribedEventArgs(ushort messageId, MqttQoSLevel[] grantedQosLevels) => throw null;
        public ushort MessageId { get => throw null; internal set => throw null; }
        public MqttQoSLevel[] GrantedQoSLevels { get => throw null; internal set => throw null; }
    }

    public class MqttMsgUnsubscribedEventArgs : EventArgs
    {
        public MqttMsgUnsubscribedEventArgs(ushort messageId) => throw null;
        public ushort MessageId { get => throw null; internal set => throw null; }
    }
}
