namespace CotaFirmware.Host;

/// <summary>The host board's command line.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("cota-host: the host board is not assembled yet.");
        return 0;
    }
}
