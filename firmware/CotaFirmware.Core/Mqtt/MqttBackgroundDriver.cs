using System;
using System.Threading;

namespace CotaFirmware.Mqtt;

/// <summary>Drives an <see cref="MqttClient"/> from one background thread, for firmware that has no main loop to call Yield from.</summary>
/// <remarks>One thread for the whole session. Other threads may publish and subscribe meanwhile; handlers run on this thread.</remarks>
public sealed class MqttBackgroundDriver
{
    readonly MqttClient _client;
    readonly int _sliceMs;
    Thread _thread;
    bool _stop;

    /// <summary>Prepares a driver that calls <see cref="MqttClient.Yield"/> with <paramref name="sliceMs"/> at a time.</summary>
    public MqttBackgroundDriver(MqttClient client, int sliceMs)
    {
        if (client == null || sliceMs < 1)
        {
            throw new ArgumentException("a client and a positive slice are required");
        }

        _client = client;
        _sliceMs = sliceMs;
    }

    /// <summary>The last exception a handler threw on the driver's thread (the driver keeps running), or null.</summary>
    public Exception LastHandlerException { get; private set; }

    /// <summary>True while the thread runs.</summary>
    public bool IsRunning => _thread != null;

    /// <summary>Starts the thread. The client connects and reconnects by itself once started (<see cref="MqttClient.Start"/>, or an earlier <see cref="MqttClient.Connect"/>).</summary>
    public void Start()
    {
        if (_thread != null)
        {
            return;
        }

        _stop = false;
        _thread = new Thread(Run);
        _thread.Start();
    }

    /// <summary>Stops the thread after its current slice and waits for it. The connection stays as it is.</summary>
    public void Stop()
    {
        Thread t = _thread;
        if (t == null)
        {
            return;
        }

        _stop = true;
        t.Join();
        _thread = null;
    }

    void Run()
    {
        while (!_stop)
        {
            try
            {
                if (!_client.IsStarted)
                {
                    Thread.Sleep(_sliceMs); // nothing to drive until Connect
                    continue;
                }

                _client.Yield(_sliceMs);
            }
            catch (Exception e)
            {
                LastHandlerException = e;
            }
        }
    }
}
