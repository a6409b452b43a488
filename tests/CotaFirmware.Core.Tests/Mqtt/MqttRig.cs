using CotaFirmware.Mqtt;

namespace CotaFirmware.Tests.Mqtt;

/// <summary>The MQTT tests' client: a scripted channel on a manual clock, with the small buffers of <see cref="MqttFrames.Settings"/>.</summary>
public sealed class MqttRig
{
    /// <summary>The clock the client's keep-alive and timeouts read.</summary>
    public readonly ManualClock Clock = new ManualClock();

    /// <summary>The broker's side: what the client reads and what it wrote.</summary>
    public readonly ScriptedChannel Channel;

    /// <summary>The client under test.</summary>
    public readonly MqttClient Client;

    /// <summary>A client whose channel is not open yet.</summary>
    public MqttRig()
    {
        Channel = new ScriptedChannel(Clock);
        Client = new MqttClient(Channel, Clock, MqttFrames.Settings());
    }

    /// <summary>A client connected as <see cref="MqttFrames.Connect"/> does (CONNACK consumed, written bytes skipped).</summary>
    public static MqttRig Connected()
    {
        MqttRig rig = new MqttRig();
        rig.Channel.Queue(MqttFrames.Connack(0));
        MqttStatus s = MqttFrames.Connect(rig.Client, rig.Channel);
        if (s != MqttStatus.Ok)
        {
            throw new InvalidOperationException("test client did not connect: " + (int)s);
        }

        rig.Channel.SkipWritten();
        return rig;
    }
}
