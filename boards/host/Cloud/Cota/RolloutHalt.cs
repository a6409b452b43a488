namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>When a rollout halts (its config is no longer offered), in the manner of AWS IoT Jobs' abort criteria:
/// once <paramref name="MinResults"/> devices have reported on the config, at <paramref name="Count"/> refusals or
/// at <paramref name="Percent"/> % of the results refusing it. A refusal is a result rolled_back, or rejected for
/// the config itself (not for its download).</summary>
/// <param name="Count">Refusals that halt it; 0: no count rule.</param>
/// <param name="Percent">Share of the results, 1..100, that halts it; 0: no share rule.</param>
/// <param name="MinResults">Neither rule applies before this many devices reported (at least 1).</param>
public sealed record RolloutHalt(int Count, int Percent, int MinResults)
{
    /// <summary>The first refusal halts the rollout.</summary>
    public static RolloutHalt Default { get; } = new(1, 0, 1);

    /// <summary>Why these figures cannot be a threshold, or null when they can.</summary>
    public string? Problem() =>
        Count < 0 ? "the refusal count is 0 or more"
        : Percent is < 0 or > 100 ? "the refusal percentage is 0 to 100"
        : MinResults < 1 ? "the minimum number of results is 1 or more"
        : Count == 0 && Percent == 0 ? "a threshold needs a refusal count or a percentage"
        : null;

    /// <summary>True when <paramref name="refusals"/> out of <paramref name="results"/> reach the threshold.</summary>
    public bool IsReached(int results, int refusals) =>
        results >= MinResults && ((Count > 0 && refusals >= Count) || (Percent > 0 && refusals * 100 >= Percent * results));

    /// <inheritdoc cref="Text"/>
    public override string ToString() => Text;

    /// <summary>The threshold in words, as the console and the command line show it.</summary>
    public string Text => Words();

    private string Words()
    {
        var rules = new List<string>();
        if (Count > 0)
        {
            rules.Add(Count == 1 ? "the first refusal" : Count + " refusals");
        }
        if (Percent > 0)
        {
            rules.Add(Percent + "% of results refusing");
        }
        return "halts at " + string.Join(" or ", rules) + (MinResults > 1 ? ", after " + MinResults + " results" : "");
    }
}
