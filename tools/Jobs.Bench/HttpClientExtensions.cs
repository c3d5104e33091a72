namespace Jobs.Bench;

internal static class HttpClientExtensions
{
    public const string ApiKeyHeader = "X-Api-Key";

    public static HttpClient WithApiKey(this HttpClient http, string key)
    {
        http.DefaultRequestHeaders.Add(ApiKeyHeader, key);
        return http;
    }
}
