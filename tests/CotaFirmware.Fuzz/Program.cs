using System.Diagnostics;

namespace CotaFirmware.Fuzz;

/// <summary>Runs one fuzz target for a number of iterations; exits 1 on the first broken contract, printing the seed to replay.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var targets = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IFuzzTarget).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => (IFuzzTarget)Activator.CreateInstance(t)!)
            .OrderBy(t => t.Name)
            .ToList();
        if (args.Length == 0 || args[0] is "-h" or "--help" || targets.All(t => t.Name != args[0]))
        {
            Console.WriteLine("usage: fuzz <target> [iterations=1000000] [seed=random]");
            Console.WriteLine("targets: " + string.Join(", ", targets.Select(t => t.Name)));
            return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
        }

        var target = targets.First(t => t.Name == args[0]);
        long iterations = args.Length > 1 ? long.Parse(args[1]) : 1_000_000;
        int seed = args.Length > 2 ? int.Parse(args[2]) : Environment.TickCount;
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < iterations; i++)
        {
            try
            {
                target.RunOne(random, i);
            }
            catch (Exception e)
            {
                Console.WriteLine($"{target.Name}: iteration {i} (seed {seed}) broke the contract: {e}");
                return 1;
            }
        }

        Console.WriteLine($"{target.Name}: {iterations} inputs, seed {seed}, {clock.Elapsed.TotalSeconds:F1} s, no contract broken");
        return 0;
    }
}
