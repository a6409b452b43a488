using CotaFirmware.Host.Cloud.Files;

namespace CotaFirmware.HostTests;

/// <summary>Waits on the config file server's request log as it grows, instead of polling it.</summary>
internal static class FileServerLog
{
    /// <summary>
    /// The last logged request that matches, or the first to be logged (within 30 s): the server logs a request once it
    /// has finished it, which can be just after the client saw its end.
    /// </summary>
    public static async Task<FileRequest> LoggedAsync(this ConfigFileServer files, Func<FileRequest, bool> match)
    {
        var logged = new TaskCompletionSource<FileRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<FileRequest> take = r =>
        {
            if (match(r))
            {
                logged.TrySetResult(r);
            }
        };
        files.Logged += take;
        try
        {
            return files.Requests.LastOrDefault(match) ?? await logged.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            files.Logged -= take;
        }
    }
}
