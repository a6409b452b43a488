using System;

namespace CotaFirmware.DeviceBenchmarks
{
    /// <summary>
    /// Times workloads with the only clock nanoCLR offers (DateTime.UtcNow, 100 ns ticks) and prints one line per
    /// result for the host, which builds the table: "[bench] key ops best median figure", the times in ticks for
    /// <c>ops</c> operations over <see cref="Rounds"/> rounds. One more round, untimed, is bracketed by two
    /// <c>GC.EnableGCMessages(false)</c> calls, at each of which nanoCLR (with NANOCLR_ALLOC_STATS=1) prints its
    /// allocation counters on stderr: "[bench] key allocs ops" tells the host which pair of counter lines it is.
    /// </summary>
    internal static class Bench
    {
        /// <summary>Starts every line the host reads.</summary>
        public const string Prefix = "[bench] ";

        /// <summary>How many timed rounds each benchmark runs.</summary>
        public const int Rounds = 9;

        /// <summary>How long one round should take, in ticks: far above the clock's step.</summary>
        private const long RoundTicks = 150 * TimeSpan.TicksPerMillisecond;

        /// <summary>Measures the clock's step: the smallest change of DateTime.UtcNow.Ticks seen, in ticks, and prints it.</summary>
        public static void Clock()
        {
            long smallest = long.MaxValue;
            for (int i = 0; i < 20; i++)
            {
                long start = DateTime.UtcNow.Ticks;
                long now;
                do
                {
                    now = DateTime.UtcNow.Ticks;
                }
                while (now == start);
                if (now - start < smallest)
                {
                    smallest = now - start;
                }
            }

            Console.WriteLine(Prefix + "clock " + smallest);
        }

        /// <summary>
        /// Runs <paramref name="work"/> once to check and warm it, then <see cref="Rounds"/> rounds of as many operations as
        /// fill about <see cref="RoundTicks"/> (at least <paramref name="minOps"/>), and prints the best and median round.
        /// An exception is printed as "throws" with its type: a peer that cannot read an input.
        /// </summary>
        public static void Time(string key, Workload work, int minOps)
        {
            int figure;
            long once;
            try
            {
                long start = DateTime.UtcNow.Ticks;
                figure = work();
                once = DateTime.UtcNow.Ticks - start;
            }
            catch (Exception e)
            {
                Console.WriteLine(Prefix + key + " throws " + e.GetType().FullName);
                return;
            }

            if (figure <= 0)
            {
                Console.WriteLine(Prefix + key + " failed " + figure);
                return;
            }

            int ops = once <= 0 ? 1000 : (int)(RoundTicks / once);
            if (ops < minOps)
            {
                ops = minOps;
            }

            long[] rounds = new long[Rounds];
            for (int r = 0; r < Rounds; r++)
            {
                long start = DateTime.UtcNow.Ticks;
                for (int i = 0; i < ops; i++)
                {
                    work();
                }

                rounds[r] = DateTime.UtcNow.Ticks - start;
            }

            // Insertion sort: mscorlib has no Array.Sort.
            for (int i = 1; i < Rounds; i++)
            {
                for (int j = i; j > 0 && rounds[j] < rounds[j - 1]; j--)
                {
                    long t = rounds[j];
                    rounds[j] = rounds[j - 1];
                    rounds[j - 1] = t;
                }
            }

            Console.WriteLine(Prefix + key + " " + ops + " " + rounds[0] + " " + rounds[Rounds / 2] + " " + figure);

            // Warm by now: what this round allocates is the steady state.
            nanoFramework.Runtime.Native.GC.EnableGCMessages(false);
            for (int i = 0; i < ops; i++)
            {
                work();
            }

            nanoFramework.Runtime.Native.GC.EnableGCMessages(false);
            Console.WriteLine(Prefix + key + " allocs " + ops);
        }

        /// <summary>Prints a fact about the run (an input's size) for the table.</summary>
        public static void Note(string key, int value)
        {
            Console.WriteLine(Prefix + key + " note " + value);
        }
    }
}
