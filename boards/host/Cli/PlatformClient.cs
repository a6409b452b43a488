using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CotaFirmware.Host.Cloud.Web;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.Host.Cli;

/// <summary>Calls the API of a running <c>cota-host cloud</c> (its web console's port, with the token from platform.json).</summary>
public static class PlatformClient
{
    /// <summary>Sends a request and reads its JSON answer.</summary>
    /// <exception cref="RunFailedException">The platform does not answer, refused the request (its reason is kept), or answered with something else than JSON of <typeparamref name="T"/>.</exception>
    public static async Task<T> CallAsync<T>(PlatformEndpoints endpoints, HttpMethod method, string pathAndQuery, byte[]? body = null)
    {
        using var client = Client(endpoints, TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (body != null)
        {
            request.Content = new ByteArrayContent(body);
        }

        // The whole answer is read within the timeout, and a connection lost while reading it is the platform not answering.
        using var response = await SendAsync(client, request, endpoints, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
        return Parsed<T>(await response.Content.ReadAsStringAsync(), endpoints, "an answer");
    }

    /// <summary>Yields the platform's snapshot now and again after each change it records (its console's event
    /// stream, which carries the snapshot), until <paramref name="cancel"/>.</summary>
    /// <exception cref="RunFailedException">The platform does not answer, refused the stream (its reason is kept), sent an event
    /// that is no snapshot, or the stream ended (it stopped).</exception>
    public static async IAsyncEnumerable<FleetSnapshot> SnapshotsAsync(PlatformEndpoints endpoints, [EnumeratorCancellation] CancellationToken cancel)
    {
        using var client = Client(endpoints, Timeout.InfiniteTimeSpan);
        using var request = new HttpRequestMessage(HttpMethod.Get, "events");
        // The stream never ends while the platform runs: only its headers are awaited.
        using var response = await SendAsync(client, request, endpoints, HttpCompletionOption.ResponseHeadersRead, cancel);
        await using var stream = await response.Content.ReadAsStreamAsync(cancel);
        string closed = "the local platform (port " + endpoints.ConsolePort + ") closed its event stream: is `cota-host cloud` still running?";
        await using var items = SseParser.Create(stream).EnumerateAsync(cancel).GetAsyncEnumerator(cancel);
        while (true)
        {
            try
            {
                if (!await items.MoveNextAsync())
                {
                    break;
                }
            }
            catch (IOException e) when (!cancel.IsCancellationRequested)
            {
                // Cut in the middle (the platform was killed): it stopped as surely as when the stream ends.
                throw new RunFailedException(closed + " (" + e.Message + ")");
            }

            if (items.Current.EventType == "state")
            {
                yield return Parsed<FleetSnapshot>(items.Current.Data, endpoints, "a state event");
            }
        }

        throw new RunFailedException(closed);
    }

    // The platform's JSON as T; anything else is a clear error naming what came (an answer, a state event).
    private static T Parsed<T>(string json, PlatformEndpoints endpoints, string what)
    {
        string problem = "null";
        try
        {
            if (JsonSerializer.Deserialize<T>(json, WebConsole.Json) is { } value)
            {
                return value;
            }
        }
        catch (JsonException e)
        {
            problem = e.Message;
        }

        throw new RunFailedException("the local platform (port " + endpoints.ConsolePort + ") sent " + what + " that is no " + typeof(T).Name + ": " + problem);
    }

    private static HttpClient Client(PlatformEndpoints endpoints, TimeSpan timeout)
    {
        var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + endpoints.ConsolePort + "/api/"), Timeout = timeout };
        client.DefaultRequestHeaders.Add(WebConsole.TokenHeader, endpoints.ConsoleToken);
        return client;
    }

    // Sends the request; an answer other than success is the platform's refusal, with the reason it gave.
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, PlatformEndpoints endpoints,
        HttpCompletionOption completion, CancellationToken cancel)
    {
        string reason;
        try
        {
            var response = await client.SendAsync(request, completion, cancel);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                reason = await response.Content.ReadAsStringAsync(cancel);
            }
        }
        catch (Exception e) when ((e is HttpRequestException || e is IOException || e is TaskCanceledException) && !cancel.IsCancellationRequested)
        {
            throw new RunFailedException("the local platform (port " + endpoints.ConsolePort + ") does not answer: is `cota-host cloud` still running? (" + e.Message + ")");
        }

        try
        {
            reason = JsonDocument.Parse(reason).RootElement.GetProperty("error").GetString() ?? reason;
        }
        catch (Exception e) when (e is JsonException || e is KeyNotFoundException || e is InvalidOperationException)
        {
        }

        throw new RunFailedException("the local platform refused: " + reason);
    }
}
