using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Jobs.Api.Paging;
using Jobs.Core.Engine.Catalog;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// What an attacker sends (docs/design.md, "Admission, limits and fairness"): oversized, deep, ambiguous or undecodable
/// bodies, huge numbers and pages. Each is a 4xx problem with a stable code that says which field and why, never a 500,
/// and nothing is stored. BadInputTests covers the ordinary mistakes.
/// </summary>
public sealed class HostileInputTests(Servers servers)
{
    private const string Open = TestHandlers.FailPermanently.TypeName;

    private static readonly Dictionary<string, string?> SmallBodies = new()
    {
        ["Api:MaxRequestBodyBytes"] = "65536",
        ["Api:MaxPayloadBytes"] = "16384",
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BodyOverTheLimit_Is413_WithOrWithoutContentLength(bool chunked)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: SmallBodies);
        var body = "{\"type\":\"" + Open + "\",\"payload\":{\"text\":\"" + new string('x', 70_000) + "\"}}";

        foreach (var path in new[] { "/api/jobs", "/api/jobs/batch" })
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            message.Headers.TransferEncodingChunked = chunked;
            using var response = await cluster.Client.SendAsync(message);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, path);
            problem.GetProperty("code").GetString().ShouldBe("payload_too_large");
        }

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"type":"demo","type":"demo","payload":{"items":1}}""", "malformed_json", "Duplicate")]
    [InlineData("""{"type":"demo","payload":{"items":1,"items":100000}}""", "malformed_json", "Duplicate")]
    [InlineData("""{"type":"demo","payload":{"items":1},"priority":1e400}""", "malformed_json", "priority")]
    [InlineData("""{"type":"demo","payload":{"items":1},"maxAttempts":99999999999999999999999}""", "malformed_json", "maxAttempts")]
    [InlineData("""{"type":"demo","payload":{"items":1e400}}""", "validation_failed", "payload.items")]
    [InlineData("""{"type":"demo","payload":{"items":99999999999999999999999}}""", "validation_failed", "payload.items")]
    [InlineData("""{"type":"test.fail-permanently","payload":{"n":-1e400}}""", "validation_failed", "payload.n")]
    [InlineData("""{"type":"test.fail-permanently","payload":{"deep":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}""", "validation_failed", "nested too deeply")]
    [InlineData("""{"type":"demo","payload":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}""", "malformed_json", "depth")]
    [InlineData("""{"type":"test.fail-permanently","payload":{"text":"\ud800"}}""", "validation_failed", "payload.text")]
    [InlineData("""{"type":"test.fail-permanently","payload":{"text":"a\u0000b"}}""", "validation_failed", "NUL")]
    [InlineData("""{"type":"test.fail-permanently","payload":{"a\u0000":1}}""", "validation_failed", "NUL")]
    [InlineData("[]", "malformed_json", "")]
    [InlineData("\"demo\"", "malformed_json", "")]
    public async Task HostileSubmissions_AreBadRequests_NamingWhatIsWrong(string body, string code, string mentioned)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs", body);

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.GetProperty("code").GetString().ShouldBe(code);
        problem.ToString().ShouldContain(mentioned);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
    }

    [Fact]
    public async Task LongStringsAndLargePayloads_AreCapped()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: new Dictionary<string, string?> { ["Api:MaxPayloadBytes"] = "200000" });

        var (status, problem) = await cluster.Client.PostAsync("/api/jobs", new { type = Open, payload = new { note = new string('x', PayloadLimits.Default.MaxStringLength + 1) } });
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("payload.note")[0].GetString()!.ShouldContain($"at most {PayloadLimits.Default.MaxStringLength} characters");

        (status, problem) = await cluster.Client.PostAsync("/api/jobs", new { type = Open, payload = new { a = new string('x', 90_000), b = new string('y', 90_000), c = new string('z', 90_000) } });
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("payload")[0].GetString()!.ShouldContain("at most 200000 bytes");

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
        await cluster.Client.SubmitAsync(new { type = Open, payload = new { note = new string('x', 1000) } });
    }

    // The body is read as it streams: bytes that cannot be JSON are malformed_json; inside the payload (decoded only
    // when validated) they are a validation error on the field.
    public static TheoryData<string, byte[], string> UndecodableBodies => new()
    {
        { "UTF-8 byte order mark", [0xEF, 0xBB, 0xBF, .. Utf8("{\"type\":\"demo\",\"payload\":{\"items\":1}}")], "malformed_json" },
        { "UTF-16 LE with its BOM", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("{\"type\":\"demo\",\"payload\":{\"items\":1}}")], "malformed_json" },
        { "invalid UTF-8 in a field", [.. Utf8("{\"type\":\"demo"), 0xFF, 0xFE, .. Utf8("\",\"payload\":{\"items\":1}}")], "malformed_json" },
        { "a NUL byte outside strings", [.. Utf8("{\"type\":\"demo\","), 0x00, .. Utf8("\"payload\":{\"items\":1}}")], "malformed_json" },
        { "invalid UTF-8 in a payload string", [.. Utf8("{\"type\":\"test.fail-permanently\",\"payload\":{\"text\":\"a"), 0xC3, 0x28, .. Utf8("\"}}")], "payload.text" },
        { "an encoded lone surrogate in the payload", [.. Utf8("{\"type\":\"test.fail-permanently\",\"payload\":{\"text\":\""), 0xED, 0xA0, 0x80, .. Utf8("\"}}")], "payload.text" },
        { "invalid UTF-8 in a payload name", [.. Utf8("{\"type\":\"test.fail-permanently\",\"payload\":{\"a"), 0xFF, .. Utf8("\":1}}")], "payload" },
    };

    [Theory]
    [MemberData(nameof(UndecodableBodies))]
    public async Task UndecodableBytes_AreBadRequests(string what, byte[] body, string codeOrField)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await cluster.Client.PostAsync("/api/jobs", content);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, what);
        if (codeOrField == "malformed_json")
        {
            problem.GetProperty("code").GetString().ShouldBe("malformed_json", what);
        }
        else
        {
            problem.GetProperty("errors").GetProperty(codeOrField)[0].GetString()!.ShouldContain("not valid Unicode text", Case.Sensitive, what);
        }

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"jobs":null}""")]
    [InlineData("""{"jobs":[null]}""")]
    public async Task EmptyOrNullBatches_AreBadRequests(string body)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs/batch", body);

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
    }

    [Fact]
    public async Task ItemsOverTheWorkspacesMaxBatchItems_AreRefused_NamingTheFieldAndTheLimit()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var sequence = Guid.NewGuid();
        object Subscribe(int count) => new { type = "contacts.subscribe", payload = new { sequenceId = sequence, contactIds = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray() } };

        var (status, problem) = await cluster.Client.PostAsync("/api/jobs", Subscribe(1001));
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("payload.contactIds").EnumerateArray().Select(e => e.GetString()).ShouldBe(
            ["must have at most 1000 items (this workspace's max_batch_items), has 1001."]);

        var (other, caller) = await cluster.CreateWorkspaceClientAsync();
        await cluster.SetLimitsAsync(caller.WorkspaceId, maxBatchItems: 100);
        (status, problem) = await other.PostAsync("/api/jobs/batch", new { jobs = new[] { Subscribe(100), Subscribe(101) } });
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("jobs[1].payload.contactIds")[0].GetString()!.ShouldContain("at most 100 items");
        problem.GetProperty("errors").TryGetProperty("jobs[0].payload.contactIds", out _).ShouldBeFalse();

        var tooMany = Enumerable.Range(0, 101).Select(_ => new { type = "demo", payload = new { items = 1 } }).ToArray();
        (status, problem) = await other.PostAsync("/api/jobs/batch", new { jobs = tooMany });
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("jobs")[0].GetString().ShouldBe("must contain at most 100 jobs, has 101.");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
    }

    [Theory]
    [InlineData("/api/jobs")]
    [InlineData("/api/contacts")]
    [InlineData("/api/campaigns")]
    public async Task HugePages_AreRefused_WithTheMaximum(string list)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        foreach (var limit in new[] { "1000000", "99999999999999999999", "-1", "0", "1e3" })
        {
            var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Get, $"{list}?limit={limit}", null);
            status.ShouldBe(HttpStatusCode.BadRequest, $"{list}?limit={limit}");
            problem.GetProperty("errors").GetProperty("limit")[0].GetString()!.ShouldContain($"between 1 and {PageQuery.MaxPageSize}");
        }

        using var page = await cluster.Client.GetAsync($"{list}?limit={PageQuery.MaxPageSize}");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData("/api/jobs?type=demo%00x", "type")]
    [InlineData("/api/jobs?status=pending%00", "status")]
    [InlineData("/api/jobs?cursor=%00", "cursor")]
    [InlineData("/api/contacts?search=ann%00", "search")]
    [InlineData("/api/contacts?tag=vip%00", "tag")]
    [InlineData("/api/contacts?cursor=%00abc", "cursor")]
    [InlineData("/api/campaigns?cursor=%00", "cursor")]
    public async Task ANulCharacter_InAQueryParameter_Is400NamingIt(string path, string field)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Get, path, content: null);

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.GetProperty("errors").GetProperty(field)[0].GetString().ShouldBe("must not contain a NUL character.");
    }
}
