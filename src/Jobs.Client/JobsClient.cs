using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Client;

/// <summary>
/// The Jobs API as typed calls (docs/api.md, ".NET client"): jobs here and in <c>JobsClient.Jobs.cs</c>, and one
/// partial file per area (files, schedules, templates, webhooks, workloads, workspace), with problem answers thrown as
/// <see cref="JobsApiException"/>s; <see cref="WatchAsync"/> follows a job live. Register it with
/// <c>AddJobsClient</c>; one instance is safe to share.
/// </summary>
public sealed partial class JobsClient
{
    /// <summary>The header the API reads a key from (docs/api.md, "Authentication").</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The header the API reads an idempotency key from.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>
    /// Request bodies leave out what the caller left null, so the API's defaults apply and a PATCH keeps what it does
    /// not name; an explicit null is never how a request of this API says anything.
    /// </summary>
    private static readonly JsonSerializerOptions Body = new(JsonSerializerOptions.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly HttpClient http;
    private readonly Func<CancellationToken, ValueTask<string>> apiKey;
    private readonly Func<Uri, CancellationToken, ValueTask<Uri>> resolve;

    /// <summary>A client on <paramref name="http"/>, whose base address is the API's; the key goes on every request.</summary>
    public JobsClient(HttpClient http, string apiKey)
        : this(http, Fixed(apiKey))
    {
    }

    /// <summary>
    /// A client whose key is asked for on every request and every live connection: for callers whose key is not fixed,
    /// such as a web app calling as its signed-in user. The provider may throw to stop a call (a session that ended).
    /// </summary>
    public JobsClient(HttpClient http, Func<CancellationToken, ValueTask<string>> apiKey)
        : this(http, apiKey, static (address, _) => ValueTask.FromResult(address))
    {
    }

    /// <param name="http">Its base address is the API's.</param>
    /// <param name="apiKey">Asked for the key sent on every request and on the live connections.</param>
    /// <param name="resolve">
    /// Turns the base address into one the hub's own connection can dial: the HTTP calls resolve a service name
    /// (<c>http://api</c>) in their handler, the hub's WebSocket does not.
    /// </param>
    internal JobsClient(HttpClient http, Func<CancellationToken, ValueTask<string>> apiKey, Func<Uri, CancellationToken, ValueTask<Uri>> resolve)
    {
        ArgumentNullException.ThrowIfNull(http.BaseAddress, "http.BaseAddress");
        ArgumentNullException.ThrowIfNull(apiKey);
        this.http = http;
        this.apiKey = apiKey;
        this.resolve = resolve;
    }

    /// <summary>How <see cref="WatchAsync"/> follows a job; <see cref="WatchTransport.Auto"/> unless set.</summary>
    public WatchTransport Transport { get; init; } = WatchTransport.Auto;

    internal static Func<CancellationToken, ValueTask<string>> Fixed(string apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        return _ => ValueTask.FromResult(apiKey);
    }

    /// <summary>Sends a request with the key; a problem answer is thrown as a <see cref="JobsApiException"/>.</summary>
    /// <returns>The body as <typeparamref name="T"/>; default for 204.</returns>
    private async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is HttpContent content)
        {
            request.Content = content;
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Body);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, idempotencyKey);
        }

        using var response = await SendCheckedAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.StatusCode == HttpStatusCode.NoContent
            ? default
            : await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
    }

    private Task<T> ReadAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, null, null, cancellationToken)!;

    private Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<T>(method, path, body, null, cancellationToken)!;

    /// <summary>For the commands that answer 204, with nothing to read.</summary>
    private Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<object>(method, path, body, null, cancellationToken);

    /// <summary>The key on the request, sent; the response when it is a success, else its problem thrown.</summary>
    private async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation(ApiKeyHeader, await apiKey(cancellationToken));
        var response = await http.SendAsync(request, completion, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await JobsApiException.FromResponseAsync(response, cancellationToken);
            }
        }

        return response;
    }

    /// <summary><paramref name="path"/> with the query parameters that have a value, escaped.</summary>
    private static string WithQuery(string path, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var query = new List<string>();
        foreach (var (name, value) in parameters)
        {
            var text = value switch
            {
                null => null,
                bool flag => flag ? "true" : "false",
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            if (text is not null)
            {
                query.Add($"{name}={Uri.EscapeDataString(text)}");
            }
        }

        return query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
    }
}
