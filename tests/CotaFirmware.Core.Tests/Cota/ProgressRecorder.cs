namespace CotaFirmware.Tests.Cota;

/// <summary>Collects progress callbacks: how many, whether they only grew, and the last pair seen.</summary>
public sealed class ProgressRecorder
{
    /// <summary>Calls received.</summary>
    public int Calls;

    /// <summary>The last received value.</summary>
    public long LastReceived = -1;

    /// <summary>The last total.</summary>
    public long LastTotal = -1;

    /// <summary>False once a value went backwards or past the total.</summary>
    public bool Monotonic = true;

    /// <summary>The callback.</summary>
    public void On(long received, long total)
    {
        if (received < LastReceived || received > total)
        {
            Monotonic = false;
        }

        Calls++;
        LastReceived = received;
        LastTotal = total;
    }
}
