using System.Text.Json;
using Jobs.Api.Live;
using Jobs.Contracts.Jobs;

namespace Jobs.IntegrationTests;

/// <summary>The per-stream buffer of <see cref="JobUpdateDispatcher"/>: bounded, never waits, never loses a final status.</summary>
public sealed class JobUpdateListenerTests
{
    private static readonly Guid JobId = Guid.CreateVersion7();
    private static readonly Guid WorkspaceId = Guid.CreateVersion7();

    [Fact]
    public void Offer_WhenTheBufferIsFull_DropsTheOldestProgress_AndKeepsStatusChangesAndTheFinalStatus()
    {
        using var listener = new JobUpdateListener(JobId, WorkspaceId, capacity: 4);

        listener.Offer(Update(1, "pending", 0));
        listener.Offer(Update(2, "processing", 0));
        listener.Offer(Update(3, "processing", 10));
        listener.Offer(Update(4, "processing", 20));
        listener.Offer(Update(5, "processing", 30));
        listener.Offer(Update(6, "completed", 100));

        ReadAll(listener).Select(u => u.Sequence).ShouldBe([1, 2, 5, 6]);
        listener.Dropped.ShouldBe(2);
    }

    [Fact]
    public void Offer_NeverWaits_AndBuffersAtMostItsCapacity_WhenNobodyReads()
    {
        using var listener = new JobUpdateListener(JobId, WorkspaceId, capacity: 8);

        for (var i = 1; i <= 10_000; i++)
        {
            listener.Offer(Update(i, "processing", (short)(i % 100)));
        }

        listener.Offer(Update(10_001, "failed", 40));

        var read = ReadAll(listener);
        read.Count.ShouldBe(8);
        read[0].Sequence.ShouldBe(1); // the status change into processing
        read[^1].Status.ShouldBe("failed");
    }

    [Fact]
    public async Task WaitToRead_WakesOnOffer_AndReturnsFalseOnceCompletedAndDrained()
    {
        var listener = new JobUpdateListener(JobId, WorkspaceId);
        var waiting = listener.WaitToReadAsync(CancellationToken.None).AsTask();
        waiting.IsCompleted.ShouldBeFalse();

        listener.Offer(Update(1, "pending", 0));
        (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).ShouldBeTrue();
        listener.Complete();

        (await listener.WaitToReadAsync(CancellationToken.None)).ShouldBeTrue();
        listener.TryRead(out _).ShouldBeTrue();
        (await listener.WaitToReadAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5))).ShouldBeFalse();
    }

    [Fact]
    public void Dispose_Unregisters_AndLaterOffersAreIgnored()
    {
        JobUpdateListener? unregistered = null;
        var listener = new JobUpdateListener(JobId, WorkspaceId, l => unregistered = l);

        listener.Dispose();
        listener.Offer(Update(1, "pending", 0));

        unregistered.ShouldBeSameAs(listener);
        listener.TryRead(out _).ShouldBeFalse();
    }

    private static List<JobUpdate> ReadAll(JobUpdateListener listener)
    {
        var read = new List<JobUpdate>();
        while (listener.TryRead(out var update))
        {
            read.Add(update);
        }

        return read;
    }

    private static JobUpdate Update(long sequence, string status, short progress) => new(
        JobId, WorkspaceId, "demo", status, progress, null, null, null, JsonDocument.Parse("{}").RootElement, null, null, 1,
        sequence, DateTimeOffset.UtcNow);
}
