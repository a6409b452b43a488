using CotaFirmware.Config;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;

namespace CotaFirmware.Tests;

/// <summary>
/// The names of the status enums the core itself never prints, so that a failed assertion names the value on nanoCLR
/// too (there an enum prints as its number); a host test holds each table to the enum's own names.
/// </summary>
public static class StatusNames
{
    /// <summary>The name of <paramref name="status"/>, as written in the enum, or "Unknown".</summary>
    public static string Of(LinkkitStatus status)
    {
        switch (status)
        {
            case LinkkitStatus.Ok: return "Ok";
            case LinkkitStatus.BadProductKey: return "BadProductKey";
            case LinkkitStatus.BadDeviceName: return "BadDeviceName";
            case LinkkitStatus.BadDeviceSecret: return "BadDeviceSecret";
            case LinkkitStatus.BadProductSecret: return "BadProductSecret";
            case LinkkitStatus.BadClientId: return "BadClientId";
            case LinkkitStatus.BadKeepAlive: return "BadKeepAlive";
            case LinkkitStatus.BadSettings: return "BadSettings";
            case LinkkitStatus.PlainTransportNotAllowed: return "PlainTransportNotAllowed";
            case LinkkitStatus.NotConnected: return "NotConnected";
            case LinkkitStatus.ConnectFailed: return "ConnectFailed";
            case LinkkitStatus.SubscribeFailed: return "SubscribeFailed";
            case LinkkitStatus.PublishFailed: return "PublishFailed";
            case LinkkitStatus.PayloadTooLarge: return "PayloadTooLarge";
            case LinkkitStatus.TooManyPending: return "TooManyPending";
            case LinkkitStatus.Closed: return "Closed";
            case LinkkitStatus.SigningFailed: return "SigningFailed";
            case LinkkitStatus.BadTopic: return "BadTopic";
            case LinkkitStatus.TooManyTopics: return "TooManyTopics";
            default: return "Unknown";
        }
    }

    /// <summary>The name of <paramref name="status"/>, as written in the enum, or "Unknown".</summary>
    public static string Of(MqttStatus status)
    {
        switch (status)
        {
            case MqttStatus.Ok: return "Ok";
            case MqttStatus.RefusedProtocolVersion: return "RefusedProtocolVersion";
            case MqttStatus.RefusedIdentifier: return "RefusedIdentifier";
            case MqttStatus.RefusedServerUnavailable: return "RefusedServerUnavailable";
            case MqttStatus.RefusedBadCredentials: return "RefusedBadCredentials";
            case MqttStatus.RefusedNotAuthorized: return "RefusedNotAuthorized";
            case MqttStatus.RefusedUnknownCode: return "RefusedUnknownCode";
            case MqttStatus.NotConnected: return "NotConnected";
            case MqttStatus.InFlightFull: return "InFlightFull";
            case MqttStatus.TxBufferTooSmall: return "TxBufferTooSmall";
            case MqttStatus.InvalidArgument: return "InvalidArgument";
            case MqttStatus.ChannelFailed: return "ChannelFailed";
            case MqttStatus.ConnackTimeout: return "ConnackTimeout";
            case MqttStatus.PingTimeout: return "PingTimeout";
            case MqttStatus.WriteTimeout: return "WriteTimeout";
            case MqttStatus.ClosedByCaller: return "ClosedByCaller";
            case MqttStatus.MalformedRemainingLength: return "MalformedRemainingLength";
            case MqttStatus.MalformedPacketType: return "MalformedPacketType";
            case MqttStatus.MalformedFlags: return "MalformedFlags";
            case MqttStatus.MalformedLength: return "MalformedLength";
            case MqttStatus.MalformedPacketId: return "MalformedPacketId";
            case MqttStatus.MalformedTopic: return "MalformedTopic";
            case MqttStatus.MalformedField: return "MalformedField";
            case MqttStatus.ProtocolViolation: return "ProtocolViolation";
            default: return "Unknown";
        }
    }

    /// <summary>The name of <paramref name="status"/>, as written in the enum, or "Unknown".</summary>
    public static string Of(ChannelStatus status)
    {
        switch (status)
        {
            case ChannelStatus.Ok: return "Ok";
            case ChannelStatus.Closed: return "Closed";
            case ChannelStatus.Unreachable: return "Unreachable";
            case ChannelStatus.Refused: return "Refused";
            case ChannelStatus.Timeout: return "Timeout";
            case ChannelStatus.TlsFailed: return "TlsFailed";
            case ChannelStatus.Failed: return "Failed";
            case ChannelStatus.OutOfMemory: return "OutOfMemory";
            default: return "Unknown";
        }
    }

    /// <summary>The name of <paramref name="kind"/>, as written in the enum, or "Unknown".</summary>
    public static string Of(JsonTokenKind kind)
    {
        switch (kind)
        {
            case JsonTokenKind.None: return "None";
            case JsonTokenKind.BeginObject: return "BeginObject";
            case JsonTokenKind.EndObject: return "EndObject";
            case JsonTokenKind.BeginArray: return "BeginArray";
            case JsonTokenKind.EndArray: return "EndArray";
            case JsonTokenKind.PropertyName: return "PropertyName";
            case JsonTokenKind.String: return "String";
            case JsonTokenKind.Number: return "Number";
            case JsonTokenKind.True: return "True";
            case JsonTokenKind.False: return "False";
            case JsonTokenKind.Null: return "Null";
            default: return "Unknown";
        }
    }

    /// <summary>The name of <paramref name="result"/>, as written in the enum, or "Unknown".</summary>
    public static string Of(RegistrationResult result)
    {
        switch (result)
        {
            case RegistrationResult.Given: return "Given";
            case RegistrationResult.Reused: return "Reused";
            case RegistrationResult.Registered: return "Registered";
            case RegistrationResult.BadIdentity: return "BadIdentity";
            case RegistrationResult.NetworkError: return "NetworkError";
            case RegistrationResult.HttpError: return "HttpError";
            case RegistrationResult.Rejected: return "Rejected";
            case RegistrationResult.BadReply: return "BadReply";
            case RegistrationResult.StorageFailed: return "StorageFailed";
            default: return "Unknown";
        }
    }
}
