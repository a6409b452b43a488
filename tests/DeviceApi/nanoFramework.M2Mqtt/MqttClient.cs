// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/nanoFramework.m2mqtt, M2Mqtt/MqttClient.cs @ 0191675688e9f0a518668a5342b192a861aab9f3
//         (v5-only properties, authentication and custom channels are left out)
// Package: nanoFramework.M2Mqtt 5.1.215 (with nanoFramework.M2Mqtt.Core 5.1.215).
// From the source: Connect starts the receive thread and, on success, keep-alive, dispatch and inflight threads;
// Publish throws MqttClientException when the inflight queue is full.
using System;
using System.Collections;
using System.Security.Cryptography.X509Certificates;
using nanoFramework.M2Mqtt.Messages;

namespace nanoFramework.M2Mqtt
{
    public class MqttClient : IMqttClient, IDisposable
    {
        public event IMqttClient.MqttMsgPublishEventHandler MqttMsgPublishReceived { add => throw null; remove => throw null; }
        public event IMqttClient.MqttMsgPublishedEventHandler MqttMsgPublished { add => throw null; remove => throw null; }
        public event IMqttClient.MqttMsgSubscribedEventHandler MqttMsgSubscribed { add => throw null; remove => throw null; }
        public event IMqttClient.MqttMsgUnsubscribedEventHandler MqttMsgUnsubscribed { add => throw null; remove => throw null; }
        public event IMqttClient.ConnectionClosedEventHandler ConnectionClosed { add => throw null; remove => throw null; }

        public MqttClient(string brokerHostName) => throw null;
        public MqttClient(string brokerHostName, int brokerPort, bool secure, X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol) => throw null;

        public bool IsConnected => throw null;
        public string ClientId => throw null;
        public bool CleanSession => throw null;
        public MqttProtocolVersion ProtocolVersion { get => throw null; set => throw null; }

        public void Init(string brokerHostName, int brokerPort, bool secure, byte[] caCert, byte[] clientCert, MqttSslProtocols sslProtocol) => throw null;
        public MqttReasonCode Connect(string clientId) => throw null;
        public MqttReasonCode Connect(string clientId, bool cleanSession) => throw null;
        public MqttReasonCode Connect(string clientId, string username, string password) => throw null;
        public MqttReasonCode Connect(string clientId, string username, string password, bool cleanSession, ushort keepAlivePeriod) => throw null;
        public MqttReasonCode Connect(string clientId, string username, string password, bool willRetain, MqttQoSLevel willQosLevel, bool willFlag, string willTopic, string willMessage, bool cleanSession, ushort keepAlivePeriod) => throw null;
        public void Disconnect() => throw null;
        public void Close() => throw null;
        public void Dispose() => throw null;
        public ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels) => throw null;
        public ushort Unsubscribe(string[] topics) => throw null;
        public ushort Publish(string topic, byte[] message) => throw null;
        public ushort Publish(string topic, byte[] message, string contentType) => throw null;
        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties) => throw null;
        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain) => throw null;
    }

    public enum MqttProtocolVersion
    {
        Version_3_1 = 0x03,
        Version_3_1_1 = 0x04,
        Version_5 = 0x05,
    }
}
