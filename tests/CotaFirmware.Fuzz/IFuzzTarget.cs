namespace CotaFirmware.Fuzz;

/// <summary>One decoder under fuzz: runs one input, and throws only when the decoder broke its contract.</summary>
public interface IFuzzTarget
{
    /// <summary>The name given on the command line.</summary>
    public string Name { get; }

    /// <summary>Makes input number <paramref name="iteration"/> from <paramref name="random"/> and runs it.</summary>
    public void RunOne(Random random, long iteration);
}
