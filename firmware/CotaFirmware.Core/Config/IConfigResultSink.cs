namespace CotaFirmware.Config;

/// <summary>Where the applier hands each config's result (for example the COTA layer, which posts it as an event).</summary>
public interface IConfigResultSink
{
    /// <summary>Takes the result of one config; <paramref name="result"/> is reused by the applier after the call returns.</summary>
    /// <remarks>Write it out (<see cref="ConfigResult.WriteMembers"/>) or copy what is needed before returning.</remarks>
    void Report(ConfigResult result);
}
