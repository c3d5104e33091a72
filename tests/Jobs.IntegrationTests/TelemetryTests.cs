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
        "jobs.lease_reaps", "jobs.duration", "jobs.queue_wait", "jobs.queue.depth",
    ];

    private readonly ConcurrentBag<Activity> _activities = [];
    private readonly ConcurrentDictionary<string, ConcurrentBag<string?>> _measurements = new();
    private readonly ConcurrentDictionary<string, string?> _published = new();
    private ActivityListener? _activityListener;
    private MeterListener? _meterListener;

    [Fact]
    public async Task OneTrace_RunsFromTheSubmitRequest_ThroughTheStream_ToTheHandlerAndItsDatabaseCalls()
    {
        ListenToActivities();
        await using var cluster = await TestCluster.StartAsync(servers);

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

        // The outcome write (and the progress writes) run inside the handler span: Npgsql's spans are its children.
        _activities.Where(a => a.Source.Name == "Npgsql" && a.ParentSpanId == run.SpanId).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task JobsMeter_PublishesEveryInstrument_AndCountsAJobsWayThrough()
    {
        ListenToMeasurements();
        await using var cluster = await TestCluster.StartAsync(servers);

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

    private void ListenToActivities()
    {
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is JobsTelemetry.Name or "Microsoft.AspNetCore" or "Npgsql",
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
