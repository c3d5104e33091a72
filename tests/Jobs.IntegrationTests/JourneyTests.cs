using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Worker.Handlers.Journeys;
using Jobs.Worker.Integrations;
using Jobs.Worker.Integrations.Chat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.IntegrationTests;

/// <summary>
/// <c>journey.from-transcript</c> and <c>journey.from-diagram</c> end to end on real PostgreSQL and Redis with the
/// simulated model (the default): the journey stored as the result, the elapsed time reported while waiting, tokens
/// and cost; the diagram's inputs (inline, uploaded, another workspace's, not an image; both or neither refused at
/// submit).
/// </summary>
public sealed class JourneyTests(Servers servers)
{
    /// <summary>Long enough for a couple of elapsed-time reports (one a second), short enough for a test.</summary>
    private static Dictionary<string, string?> Latency(string latency = "00:00:02.600") => new() { ["Integrations:Simulation:ChatLatency"] = latency };

    private const string Transcript = """
        Agent: Thanks for calling, how did you hear about us?
        Customer: A friend recommended you, and then I saw an ad on social media.
        Customer: I compared your pricing with two other options and watched the demo.
        Customer: Then I signed up for the annual plan and paid by card.
        Customer: Setting up my account was confusing and the tutorial kept crashing.
        Customer: I called support twice and had to wait forty minutes, which was frustrating.
        Customer: Now my team uses the dashboard every day and the reports are great.
        """;

    /// <summary>The PNG signature and a few bytes: the handler checks the signature, the simulation hashes the rest.</summary>
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    [Fact]
    public async Task FromTranscript_StoresAJourney_ReportingElapsedTimeWhileWaitingForTheModel()
    {
        await using var cluster = await TestCluster.StartAsync(servers, overrides: Latency());

        var id = await cluster.Client.SubmitAsync(new { type = JourneyFromTranscriptHandler.TypeName, payload = new { transcript = Transcript, prompt = "A B2B analytics product" } });
        var samples = new List<(string Status, string? Stage, int Progress, int? Elapsed)>();
        JobResponse? job = null;
        await Eventually.TrueAsync(async () =>
        {
            job = await cluster.Client.GetJobAsync(id);
            var metrics = job.Metrics;
            samples.Add((job.Status, job.Stage, job.Progress,
                metrics.ValueKind == JsonValueKind.Object && metrics.TryGetProperty("elapsed_seconds", out var e) ? (int)e.GetDouble() : null));
            return job.Status is "completed" or "failed";
        }, "the journey to complete", TimeSpan.FromSeconds(60));

        job!.Status.ShouldBe("completed", job.ToString());
        var describe = string.Join(", ", samples);
        var waiting = samples.Where(s => s.Status == "processing" && s.Stage == JourneyStages.WaitingForModel).ToList();
        waiting.ShouldContain(s => s.Elapsed >= 1, describe);
        waiting.ShouldContain(s => s.Elapsed >= 2, describe);
        waiting.ShouldAllBe(s => s.Progress >= 10 && s.Progress < 90, describe);
        samples.Select(s => s.Progress).ShouldBeInOrder(SortDirection.Ascending, describe);
        samples[^1].Progress.ShouldBe(100);
        var timeline = await cluster.Client.GetTimelineAsync(id);
        timeline.Where(e => e.Kind == "stage").Select(e => e.Stage)
            .ShouldBe([JourneyStages.Preparing, JourneyStages.WaitingForModel, JourneyStages.Reading]);

        var result = job.Result!.Value;
        result.GetProperty("title").GetString().ShouldStartWith("Journey: Thanks for calling");
        result.GetProperty("source").GetString().ShouldBe("simulated");
        result.GetProperty("model").GetString().ShouldBe(SimulatedChatCompletions.SimulatedModel);
        result.GetProperty("input").GetString().ShouldBe("transcript");
        var stages = result.GetProperty("stages").EnumerateArray().ToList();
        stages.Select(s => s.GetProperty("name").GetString()).ShouldBe(["Awareness", "Consideration", "Purchase", "Onboarding", "Usage", "Support"]);
        stages.ShouldAllBe(s => s.GetProperty("steps").GetArrayLength() > 0);
        var pains = stages.SelectMany(s => s.GetProperty("painPoints").EnumerateArray().Select(p => p.GetString()!)).ToList();
        pains.ShouldContain(p => p.Contains("confusing"));
        pains.ShouldContain(p => p.Contains("frustrating"));
        stages.Single(s => s.GetProperty("name").GetString() == "Usage").GetProperty("painPoints").GetArrayLength().ShouldBe(0);

        var usage = result.GetProperty("usage");
        var (prompt, completion, total) = (usage.GetProperty("promptTokens").GetInt32(), usage.GetProperty("completionTokens").GetInt32(), usage.GetProperty("totalTokens").GetInt32());
        total.ShouldBe(prompt + completion);
        prompt.ShouldBeGreaterThan(Transcript.Length / 5);
        var cost = result.GetProperty("cost").GetDecimal();
        cost.ShouldBe(Math.Round((prompt * 0.00015m + completion * 0.0006m) / 1000m, 6, MidpointRounding.AwayFromZero));
        cost.ShouldBeGreaterThan(0m);
        var metrics = job.Metrics;
        metrics.GetProperty("total_cost").GetDecimal().ShouldBe(cost);
        metrics.GetProperty("tokens").GetInt32().ShouldBe(total);
        metrics.GetProperty("elapsed_seconds").GetDouble().ShouldBeGreaterThanOrEqualTo(1.9);
    }

    [Fact]
    public async Task FromDiagram_InlineOrUploaded_StoresAJourney_AndTheSameImageGivesTheSameJourney()
    {
        await using var cluster = await TestCluster.StartAsync(servers, overrides: Latency("00:00:00.050"));
        var upload = await UploadAsync(cluster.Client, Png);

        var inline = await cluster.Client.WaitForFinishAsync(await cluster.Client.SubmitAsync(new { type = JourneyFromDiagramHandler.TypeName, payload = new { imageBase64 = Convert.ToBase64String(Png) } }));
        var uploaded = await cluster.Client.WaitForFinishAsync(await cluster.Client.SubmitAsync(new { type = JourneyFromDiagramHandler.TypeName, payload = new { uploadId = upload } }));
        var dataUrl = await cluster.Client.WaitForFinishAsync(await cluster.Client.SubmitAsync(new { type = JourneyFromDiagramHandler.TypeName, payload = new { imageBase64 = "data:image/png;base64," + Convert.ToBase64String(Png) } }));

        foreach (var (job, input) in new[] { (inline, "image"), (uploaded, "upload"), (dataUrl, "image") })
        {
            job.Status.ShouldBe("completed", job.ToString());
            var result = job.Result!.Value;
            result.GetProperty("input").GetString().ShouldBe(input);
            result.GetProperty("source").GetString().ShouldBe("simulated");
            result.GetProperty("title").GetString().ShouldBe("Journey from diagram");
            result.GetProperty("stages").GetArrayLength().ShouldBeGreaterThan(0);
            result.GetProperty("cost").GetDecimal().ShouldBeGreaterThan(0m);
            job.Metrics.GetProperty("total_cost").GetDecimal().ShouldBe(result.GetProperty("cost").GetDecimal());
        }

        uploaded.Result!.Value.GetProperty("stages").GetRawText().ShouldBe(inline.Result!.Value.GetProperty("stages").GetRawText());
    }

    [Fact]
    public async Task FromDiagram_NeitherInputOrBoth_IsRefusedAtSubmit_NamingTheFields_AndEachInputAloneIsAccepted()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var image = Convert.ToBase64String(Png);
        var uploadId = Guid.NewGuid();

        var (neither, neitherProblem) = await cluster.Client.PostAsync("/api/jobs", new { type = JourneyFromDiagramHandler.TypeName, payload = new { prompt = "no image" } });
        var (empty, _) = await cluster.Client.PostAsync("/api/jobs", new { type = JourneyFromDiagramHandler.TypeName, payload = new { } });
        var (both, bothProblem) = await cluster.Client.PostAsync("/api/jobs", new { type = JourneyFromDiagramHandler.TypeName, payload = new { imageBase64 = image, uploadId } });

        foreach (var status in new[] { neither, empty, both })
        {
            status.ShouldBe(HttpStatusCode.BadRequest);
        }

        neitherProblem.GetProperty("code").GetString().ShouldBe("validation_failed");
        var missing = neitherProblem.GetProperty("errors");
        missing.GetProperty("payload.imageBase64")[0].GetString().ShouldBe("is required: give exactly one of imageBase64 and uploadId.");
        missing.GetProperty("payload.uploadId")[0].GetString().ShouldBe("is required: give exactly one of imageBase64 and uploadId.");
        var together = bothProblem.GetProperty("errors");
        together.GetProperty("payload.imageBase64")[0].GetString().ShouldBe("must not be given with uploadId: give exactly one of imageBase64 and uploadId.");
        together.GetProperty("payload.uploadId")[0].GetString().ShouldBe("must not be given with imageBase64: give exactly one of imageBase64 and uploadId.");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);

        // Null is no value: an explicit null beside the other input is that input alone.
        foreach (var payload in new object[] { new { imageBase64 = image }, new { uploadId }, new { imageBase64 = (string?)null, uploadId, prompt = "checkout flow" } })
        {
            var (status, body) = await cluster.Client.PostAsync("/api/jobs", new { type = JourneyFromDiagramHandler.TypeName, payload });
            status.ShouldBe(HttpStatusCode.Accepted, body.ToString());
        }
    }

    [Fact]
    public async Task FromDiagram_NotAnImage_OrAnotherWorkspacesUpload_FailsAtOnce()
    {
        await using var cluster = await TestCluster.StartAsync(servers, overrides: Latency("00:00:00.050"));
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        var theirs = await UploadAsync(other, Png);
        var cases = new (object Payload, string Error)[]
        {
            (new { imageBase64 = Convert.ToBase64String("hello, not an image"u8.ToArray()) }, "neither a PNG nor a JPEG"),
            (new { imageBase64 = "!!! not base64 !!!" }, "not valid base64"),
            (new { uploadId = theirs }, "does not exist in this workspace"),
        };

        foreach (var (payload, error) in cases)
        {
            var job = await cluster.Client.WaitForFinishAsync(await cluster.Client.SubmitAsync(new { type = JourneyFromDiagramHandler.TypeName, payload, maxAttempts = 3 }));
            job.Status.ShouldBe("failed", job.ToString());
            job.Attempt.ShouldBe(1, "a non-retryable failure is not retried");
            job.Error!.ShouldContain(error);
        }
    }

    [Fact]
    public async Task FromTranscript_Payloads_AreValidatedAtSubmit()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        foreach (var payload in new object[] { new { }, new { transcript = "" }, new { transcript = new string('a', 200_001) }, new { transcript = "hi", prompt = new string('p', 2001) } })
        {
            var (status, _) = await cluster.Client.PostAsync("/api/jobs", new { type = JourneyFromTranscriptHandler.TypeName, payload });
            status.ShouldBe(HttpStatusCode.BadRequest, JsonSerializer.Serialize(payload)[..Math.Min(60, JsonSerializer.Serialize(payload).Length)]);
        }
    }

    private static async Task<Guid> UploadAsync(HttpClient client, byte[] image)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "diagram.png");
        using var response = await client.PostAsync("/api/uploads", form);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("uploadId").GetGuid();
    }
}

/// <summary>
/// The OpenAI-compatible chat client, registered as the worker registers it (its own standard resilience pipeline
/// with the long timeouts), against a stub server on 127.0.0.1.
/// </summary>
public sealed class JourneyChatClientTests
{
    private const string ApiKey = "sk-test-456";

    private static readonly ChatRequest TextRequest = new("Answer in JSON.", "The transcript.");

    private static readonly ChatRequest ImageRequest = new("Answer in JSON.", "Describe this diagram.", new ChatImage("image/png", "iVBORw0KGgo="));

    [Fact]
    public async Task ChatCompletion_PostsModelMessagesAndJsonFormatWithABearerKey_AndReadsTheAnswerAndUsage()
    {
        await using var stub = await StubServer.StartAsync(_ => Answer("{\"title\":\"T\",\"stages\":[{\"name\":\"Buy\",\"steps\":[\"pay\"],\"painPoints\":[]}]}"));
        using var host = await StartAsync(Settings(stub, ("Integrations:Chat:Model", "gpt-4.1-mini")));
        var chat = host.Services.GetRequiredService<IChatCompletions>();

        var text = await chat.CompleteJsonAsync(TextRequest, CancellationToken.None);
        var image = await chat.CompleteJsonAsync(ImageRequest, CancellationToken.None);

        chat.Source.ShouldBe("openai");
        stub.Requests.Count.ShouldBe(2);
        foreach (var request in stub.Requests)
        {
            request.Method.ShouldBe("POST");
            request.Path.ShouldBe("/v1/chat/completions");
            request.Headers["Authorization"].ShouldBe($"Bearer {ApiKey}");
            request.Headers["Content-Type"].ShouldStartWith("application/json");
            var body = JsonDocument.Parse(request.Body).RootElement;
            body.GetProperty("model").GetString().ShouldBe("gpt-4.1-mini");
            body.GetProperty("response_format").GetProperty("type").GetString().ShouldBe("json_object");
            var messages = body.GetProperty("messages");
            messages.GetArrayLength().ShouldBe(2);
            messages[0].GetProperty("role").GetString().ShouldBe("system");
            messages[0].GetProperty("content").GetString().ShouldBe("Answer in JSON.");
            messages[1].GetProperty("role").GetString().ShouldBe("user");
        }

        JsonDocument.Parse(stub.Requests[0].Body).RootElement.GetProperty("messages")[1].GetProperty("content").GetString().ShouldBe("The transcript.");
        var parts = JsonDocument.Parse(stub.Requests[1].Body).RootElement.GetProperty("messages")[1].GetProperty("content");
        parts.GetArrayLength().ShouldBe(2);
        parts[0].GetProperty("type").GetString().ShouldBe("text");
        parts[0].GetProperty("text").GetString().ShouldBe("Describe this diagram.");
        parts[1].GetProperty("type").GetString().ShouldBe("image_url");
        parts[1].GetProperty("image_url").GetProperty("url").GetString().ShouldBe("data:image/png;base64,iVBORw0KGgo=");

        text.Model.ShouldBe("gpt-4.1-mini-2025-04-14");
        text.Usage.ShouldBe(new ChatUsage(1200, 300, 1500));
        text.Cost.ShouldBe(Math.Round((1200 * 0.00015m + 300 * 0.0006m) / 1000m, 6));
        text.Content.GetProperty("title").GetString().ShouldBe("T");
        JourneyGenerator.Read(image.Content).Stages.Single().ShouldBe(new JourneyStage("Buy", ["pay"], []), new JourneyStageComparer());
    }

    [Fact]
    public async Task TooManyRequests_IsRetriedAfterItsRetryAfter_ThenSucceeds()
    {
        await using var stub = await StubServer.StartAsync(r => r.Index == 0
            ? new StubResponse(429, JsonSerializer.Serialize(new { error = new { message = "Rate limit reached for requests", type = "requests", code = "rate_limit_exceeded" } }),
                new Dictionary<string, string> { ["Retry-After"] = "2" })
            : Answer("{\"stages\":[{\"name\":\"A\"}]}"));
        using var host = await StartAsync(Settings(stub), fastBackoff: true);

        var answer = await host.Services.GetRequiredService<IChatCompletions>().CompleteJsonAsync(TextRequest, CancellationToken.None);

        answer.Content.GetProperty("stages")[0].GetProperty("name").GetString().ShouldBe("A");
        stub.Requests.Count.ShouldBe(2);
        var waited = stub.Requests[1].ReceivedAt - stub.Requests[0].ReceivedAt;
        waited.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9));
        waited.ShouldBeLessThan(TimeSpan.FromSeconds(6));
        stub.Requests[1].Headers["Authorization"].ShouldBe($"Bearer {ApiKey}");
    }

    [Fact]
    public async Task Unauthorized_IsNotRetried_AndNamesTheKeySetting()
    {
        await using var stub = await StubServer.StartAsync(_ => new StubResponse(401,
            JsonSerializer.Serialize(new { error = new { message = "Incorrect API key provided: sk-test-***456.", type = "invalid_request_error", code = "invalid_api_key" } })));
        using var host = await StartAsync(Settings(stub));

        var error = await Should.ThrowAsync<NonRetryableJobException>(() =>
            host.Services.GetRequiredService<IChatCompletions>().CompleteJsonAsync(TextRequest, CancellationToken.None));

        error.Message.ShouldContain("401");
        error.Message.ShouldContain("Incorrect API key provided");
        error.Message.ShouldContain("Integrations:Chat:ApiKey");
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AnswerThatIsNotJson_FailsClearly_WithoutRetrying()
    {
        await using var stub = await StubServer.StartAsync(_ => Answer("Sure! Here is the journey: stage 1 ..."));
        using var host = await StartAsync(Settings(stub));

        var error = await Should.ThrowAsync<NonRetryableJobException>(() =>
            host.Services.GetRequiredService<IChatCompletions>().CompleteJsonAsync(TextRequest, CancellationToken.None));

        error.Message.ShouldContain("not the JSON object asked for");
        error.Message.ShouldContain("Sure! Here is the journey");
        stub.Requests.Count.ShouldBe(1);
        Should.Throw<NonRetryableJobException>(() => JourneyGenerator.Read(JsonDocument.Parse("{\"title\":\"x\"}").RootElement))
            .Message.ShouldContain("no \"stages\" array");
    }

    [Fact]
    public async Task TheChatClientsPipeline_UsesTheConfiguredTimeout_NotTheStandardTenSeconds()
    {
        using (var defaults = await StartAsync(Settings(null)))
        {
            var options = defaults.Services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get($"{OpenAiChatCompletions.HttpClientName}-standard");
            options.AttemptTimeout.Timeout.ShouldBe(TimeSpan.FromMinutes(15));
            options.TotalRequestTimeout.Timeout.ShouldBe(TimeSpan.FromMinutes(31));
            options.CircuitBreaker.SamplingDuration.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(30));
            var httpTimeout = defaults.Services.GetRequiredService<IHttpClientFactory>().CreateClient(OpenAiChatCompletions.HttpClientName).Timeout;
            (httpTimeout == Timeout.InfiniteTimeSpan || httpTimeout > TimeSpan.FromMinutes(31)).ShouldBeTrue($"HttpClient.Timeout is {httpTimeout}");
            defaults.Services.GetRequiredService<IChatCompletions>().Source.ShouldBe(IntegrationProvider.Simulated);
        }

        // An attempt of one second: the first, slower, times out and is retried; the standard 10 s would have waited.
        await using var stub = await StubServer.StartAsync(r =>
        {
            if (r.Index == 0)
            {
                Thread.Sleep(1800);
            }

            return Answer("{\"stages\":[]}");
        });
        using var host = await StartAsync(Settings(stub, ("Integrations:Chat:Timeout", "00:00:01")), fastBackoff: true);

        await host.Services.GetRequiredService<IChatCompletions>().CompleteJsonAsync(TextRequest, CancellationToken.None);

        stub.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task OpenAiWithoutAKey_StopsStartUp_SayingWhichKeyToSet()
    {
        // The chat options fail, and so do the chat client's resilience options, which are computed from them.
        var error = await Should.ThrowAsync<Exception>(() => StartAsync(new() { ["Integrations:Chat:Provider"] = "openai" }));

        error.Message.ShouldContain("Integrations:Chat:ApiKey is required when Integrations:Chat:Provider is 'openai'");
    }

    private static StubResponse Answer(string content) => new(200, JsonSerializer.Serialize(new
    {
        id = "chatcmpl-1",
        @object = "chat.completion",
        model = "gpt-4.1-mini-2025-04-14",
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 1200, completion_tokens = 300, total_tokens = 1500 },
    }));

    private static Dictionary<string, string?> Settings(StubServer? stub, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>();
        if (stub is not null)
        {
            settings["Integrations:Chat:Provider"] = ChatOptions.OpenAi;
            settings["Integrations:Chat:ApiKey"] = ApiKey;
            settings["Integrations:Chat:BaseUrl"] = stub.BaseUrl.ToString();
        }

        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static async Task<IHost> StartAsync(Dictionary<string, string?> settings, bool fastBackoff = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        builder.AddJobsIntegrations();
        if (fastBackoff)
        {
            builder.Services.PostConfigureAll<HttpStandardResilienceOptions>(o => o.Retry.Delay = TimeSpan.FromMilliseconds(10));
        }

        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    private sealed class JourneyStageComparer : IEqualityComparer<JourneyStage>
    {
        public bool Equals(JourneyStage? x, JourneyStage? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Steps.SequenceEqual(y.Steps) && x.PainPoints.SequenceEqual(y.PainPoints);

        public int GetHashCode(JourneyStage obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
