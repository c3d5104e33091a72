using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Jobs.Core.Hosting;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// One trace from POST /api/jobs through the stream entry to the worker's handler span and its database calls, and
/// the instruments of the Jobs meter, seen by in-process listeners as an OTLP exporter would see them.
/// </summary>
public sealed class TelemetryTests(Servers servers) : IDisposable
{
    private static readonly string[] Instruments =
    [
        "jobs.submitted", "jobs.claimed", "jobs.completed", "jobs.failed", "jobs.cancelled", "jobs.retries",
        "jobs.lease_reaps", "jobs.webhooks.attempts", "jobs.duration", "jobs.queue_wait", "jobs.queue.depth",
    ];

    // Spans are recorded only when they have somewhere to go (ServiceDefaults): an endpoint nothing listens on (the
    // discard port, refused at once) makes the services trace as a deployment with a collector does.
    private static readonly Dictionary<string, string?> Exporting = new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" };

    private readonly ConcurrentBag<Activity> _activities = [];
    private readonly ConcurrentDictionary<string, ConcurrentBag<string?>> _measurements = new();
    private readonly ConcurrentDictionary<string, string?> _published = new();
    private ActivityListener? _activityListener;
    private MeterListener? _meterListener;

    [Fact]
    public async Task OneTrace_RunsFromTheSubmitRequest_ThroughTheStream_ToTheHandlerAndItsDatabaseCalls()
    {
        ListenToActivities();
        await using var cluster = await TestCluster.StartAsync(servers, overrides: Exporting);

        var id = await cluster.Client.SubmitDemoAsync(items: 3, delayMs: 20);
        await cluster.Client.WaitForStatusAsync(id, "completed");

        // Other tests run in this process too: start from this job's handler span and follow its parents.
        Activity? run = null;
        await Eventually.TrueAsync(() => Task.FromResult(
            (run = _activities.FirstOrDefault(a => a.Source.Name == JobsTelemetry.Name && Equals(a.GetTagItem("job.id"), id))) is not null),
            "the worker's handler span");
        run!.DisplayName.ShouldBe("run demo");
        run.Kind.ShouldBe(ActivityKind.Consumer);
        run.GetTagItem("job.status").ShouldBe("completed");

        var submit = ParentOf(run);
        submit.ShouldNotBeNull("the handler span's parent (from the stream entry's traceparent) was not recorded");
        submit.Source.Name.ShouldBe(JobsTelemetry.Name);
        submit.DisplayName.ShouldBe("submit jobs");
        submit.Kind.ShouldBe(ActivityKind.Producer);

        var request = ParentOf(submit);
        request.ShouldNotBeNull("the submit span's parent, the API's request span, was not recorded");
        request.Source.Name.ShouldBe("Microsoft.AspNetCore");
        request.Kind.ShouldBe(ActivityKind.Server);
        request.GetTagItem("http.request.method").ShouldBe("POST");
        request.GetTagItem("url.path").ShouldBe("/api/jobs");
        request.TraceId.ShouldBe(run.TraceId);

        // The progress and outcome writes are grouped across the worker's jobs (AttemptWriter): each group write is a
        // span linked to the runs it carries, with Npgsql's spans beneath it.
        var writes = _activities
            .Where(a => a.Source.Name == JobsTelemetry.Name && a.DisplayName == "write attempts" && a.Links.Any(l => l.Context.SpanId == run.SpanId))
            .ToList();
        writes.ShouldNotBeEmpty("no group write links to the handler's span");
        _activities.Where(a => a.Source.Name == "Npgsql" && writes.Any(w => w.SpanId == a.ParentSpanId)).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task AHandlersHttpCalls_AreSpansWithinItsSpan()
    {
        ListenToActivities();
        await using var stub = await StubServer.StartAsync(_ => new StubResponse(403,
            """{"error":{"code":403,"message":"The provided API key is invalid.","status":"PERMISSION_DENIED"}}"""));
        await using var cluster = await TestCluster.StartAsync(servers, overrides: new Dictionary<string, string?>(Exporting)
        {
            ["Integrations:Places:Provider"] = "google",
            ["Integrations:Places:ApiKey"] = "wrong-key",
            ["Integrations:Places:BaseUrl"] = stub.BaseUrl.ToString(),
        });

        var id = await cluster.Client.SubmitLeadsAsync("plumbers", "Austin, TX", maxResults: 5, minConfidenceScore: 0, maxAttempts: 1);
        await cluster.Client.WaitForStatusAsync(id, "failed", TimeSpan.FromSeconds(60));

        Activity? run = null;
        await Eventually.TrueAsync(() => Task.FromResult(
            (run = _activities.FirstOrDefault(a => a.Source.Name == JobsTelemetry.Name && Equals(a.GetTagItem("job.id"), id))) is not null),
            "the worker's handler span");
        // The test's own POST is in the trace too, as its root; the handler's calls are those to the stub.
        var stubAuthority = stub.BaseUrl.GetLeftPart(UriPartial.Authority);
        var calls = _activities.Where(a => a.Source.Name == "System.Net.Http" && a.TraceId == run!.TraceId
            && (a.GetTagItem("url.full") as string ?? "").StartsWith(stubAuthority, StringComparison.Ordinal)).ToList();
        calls.ShouldNotBeEmpty("the handler's call to the Places stub left no span in the job's trace");
        calls.ShouldAllBe(call => Ancestors(call).Contains(run!));
        ParentOf(run!).ShouldNotBeNull().DisplayName.ShouldBe("submit jobs");
    }

    [Fact]
    public async Task JobsMeter_PublishesEveryInstrument_AndCountsAJobsWayThrough()
    {
        ListenToMeasurements();
        await using var cluster = await TestCluster.StartAsync(servers, overrides: Exporting);

        var id = await cluster.Client.SubmitDemoAsync(items: 1, failAttempts: 1, maxAttempts: 2);
        await cluster.Client.WaitForStatusAsync(id, "completed");

        _meterListener!.RecordObservableInstruments();
        _published.Keys.Order().ShouldBe(Instruments.Order());
        _published["jobs.duration"].ShouldBe("s");
        _published["jobs.queue_wait"].ShouldBe("s");
        foreach (var name in new[] { "jobs.submitted", "jobs.claimed", "jobs.retries", "jobs.completed", "jobs.duration", "jobs.queue_wait" })
        {
            // By type: every measurement of the job's path carries job.type (other tests' jobs are demo jobs too).
            _measurements.GetValueOrDefault(name)?.ShouldContain("demo", $"{name} was not measured for the demo job");
            _measurements.ContainsKey(name).ShouldBeTrue($"{name} was not measured");
        }

        // The maintenance leader reports the depth every tick.
        await Eventually.TrueAsync(() => Task.FromResult(_measurements.ContainsKey("jobs.queue.depth")), "a queue depth measurement");
    }

    public void Dispose()
    {
        _activityListener?.Dispose();
        _meterListener?.Dispose();
    }

    private Activity? ParentOf(Activity child) =>
        _activities.FirstOrDefault(a => a.TraceId == child.TraceId && a.SpanId == child.ParentSpanId);

    private IEnumerable<Activity> Ancestors(Activity activity)
    {
        for (var parent = ParentOf(activity); parent is not null; parent = ParentOf(parent))
        {
            yield return parent;
        }
    }

    private void ListenToActivities()
    {
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is JobsTelemetry.Name or "Microsoft.AspNetCore" or "Npgsql" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Add,
        };
        ActivitySource.AddActivityListener(_activityListener);
    }

    private void ListenToMeasurements()
    {
        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == JobsTelemetry.Name)
                {
                    _published[instrument.Name] = instrument.Unit;
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        _meterListener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        _meterListener.Start();
    }

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? type = null;
        foreach (var tag in tags)
        {
            if (tag.Key == JobsMetrics.TypeTag)
            {
                type = tag.Value as string;
            }
        }

        _measurements.GetOrAdd(instrument.Name, _ => []).Add(type);
    }
}
