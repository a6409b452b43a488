using System.Collections;
using CotaFirmware.Config;
using CotaFirmware.Json;

namespace CotaFirmware.Tests.Config;

/// <summary>Keeps the JSON form of every result reported.</summary>
public sealed class RecordingResultSink : IConfigResultSink
{
    /// <summary>The JSON of each result, in order.</summary>
    public readonly ArrayList Reports = new ArrayList();

    /// <summary>The JSON of the last result, or null.</summary>
    public string Last
    {
        get { return Reports.Count == 0 ? null : (string)Reports[Reports.Count - 1]; }
    }

    /// <inheritdoc/>
    public void Report(ConfigResult result)
    {
        Reports.Add(ApplierFixture.Json(result));
    }
}
