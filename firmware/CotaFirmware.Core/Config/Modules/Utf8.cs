namespace CotaFirmware.Config.Modules;

/// <summary>Turns the modules' ASCII key names into bytes once, at start-up.</summary>
internal static class Utf8
{
    /// <summary>The bytes of <paramref name="ascii"/> (ASCII only).</summary>
    internal static byte[] Of(string ascii)
    {
        byte[] bytes = new byte[ascii.Length];
        for (int i = 0; i < ascii.Length; i++)
        {
            bytes[i] = (byte)ascii[i];
        }

        return bytes;
    }
}
