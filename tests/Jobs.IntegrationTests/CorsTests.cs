using System.Net;
using System.Net.Http.Json;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// A front end on another origin calls the API as a browser would: a preflight, then the request with its key in a
/// header. Only the origins the deployment lists are let in; credentials stay off.
/// </summary>
public sealed class CorsTests(Servers servers)
{
    private const string App = "https://app.example.com";

    private static readonly Dictionary<string, string?> AppOrigin = new() { ["Api:Cors:AllowedOrigins:0"] = App };

    [Fact]
    public async Task Preflight_FromAListedOrigin_AllowsTheMethodAndTheKeyHeader_WithoutAKey()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: AppOrigin);
        using var anonymous = cluster.Api.CreateClient();

        using var preflight = await anonymous.SendAsync(Preflight(App, "POST", "x-api-key, content-type, idempotency-key"));

        preflight.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        preflight.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe(App);
        preflight.Headers.GetValues("Access-Control-Allow-Methods").Single().ShouldContain("POST");
        preflight.Headers.GetValues("Access-Control-Allow-Headers").Single().ToLowerInvariant().ShouldContain("x-api-key");
        preflight.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
    }

    [Fact]
    public async Task ASubmitFromAListedOrigin_ExposesLocation_AndA429ExposesRetryAfter()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: AppOrigin);
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(new { type = "demo", payload = new { items = 1 } }) };
        submit.Headers.Add("Origin", App);

        using var accepted = await cluster.Client.SendAsync(submit);

        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        accepted.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe(App);
        var exposed = accepted.Headers.GetValues("Access-Control-Expose-Headers").Single();
        exposed.ShouldContain("Location");
        exposed.ShouldContain("Retry-After");
        exposed.ShouldContain("Idempotent-Replayed");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://app.example.com")]
    public async Task AnOriginNotListed_GetsNoCorsHeaders(string? listed)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0,
            overrides: listed is null ? null : new Dictionary<string, string?> { ["Api:Cors:AllowedOrigins:0"] = listed });
        using var anonymous = cluster.Api.CreateClient();

        using var preflight = await anonymous.SendAsync(Preflight("https://evil.example.net", "DELETE", "x-api-key"));
        using var get = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        get.Headers.Add("Origin", "https://evil.example.net");
        using var answer = await cluster.Client.SendAsync(get);

        preflight.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        answer.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://app.example.com/path")]
    [InlineData("app.example.com")]
    public void AnAllowedOriginThatIsNotAnOrigin_StopsTheApiAtStart(string origin)
    {
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var options = new Jobs.Api.ApiCorsOptions { AllowedOrigins = [origin] };

        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), errors, validateAllProperties: true).ShouldBeFalse();

        errors.Single().ErrorMessage!.ShouldContain(origin);
    }

    private static HttpRequestMessage Preflight(string origin, string method, string headers)
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/jobs");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", method);
        preflight.Headers.Add("Access-Control-Request-Headers", headers);
        return preflight;
    }
}
