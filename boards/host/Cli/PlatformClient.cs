using System.Net.Http.Json;
using CotaFirmware.Host.Cloud.Web;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.Host.Cli;

/// <summary>Calls the API of a running <c>cota-host cloud</c> (its web console's port, with the token from platform.json).</summary>
public static class PlatformClient
{
    /// <summary>Sends a request and reads its JSON answer.</summary>
    /// <exception cref="UsageException">The platform does not answer, or refused the request (its reason is kept).</exception>
    public static async Task<T> CallAsync<T>(PlatformEndpoints endpoints, HttpMethod method, string pathAndQuery, byte[]? body = null)
    {
        using var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + endpoints.ConsolePort + "/api/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(WebConsole.TokenHeader, endpoints.ConsoleToken);
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (body != null)
        {
            request.Content = new ByteArrayContent(body);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException)
        {
            throw new UsageException("the local platform (port " + endpoints.ConsolePort + ") does not answer: is `cota-host cloud` still running? (" + e.Message + ")");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                string reason = await response.Content.ReadAsStringAsync();
                try
                {
                    reason = System.Text.Json.JsonDocument.Parse(reason).RootElement.GetProperty("error").GetString() ?? reason;
                }
                catch (Exception e) when (e is System.Text.Json.JsonException || e is KeyNotFoundException || e is InvalidOperationException)
                {
                }

                throw new UsageException("the local platform refused: " + reason);
            }

            return await response.Content.ReadFromJsonAsync<T>(WebConsole.Json) ?? throw new UsageException("empty answer from the local platform");
        }
    }
}
