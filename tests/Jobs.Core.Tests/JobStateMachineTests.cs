using Jobs.Core.Jobs;

namespace Jobs.Core.Tests;

public sealed class JobStateMachineTests
{
    [Theory]
    [InlineData("pending", "processing")]
    [InlineData("pending", "cancelled")]
    [InlineData("processing", "completed")]
    [InlineData("processing", "failed")]
    [InlineData("processing", "cancelled")]
    [InlineData("processing", "pending")]
    [InlineData("failed", "pending")]
    [InlineData("cancelled", "pending")]
    public void CanTransition_AllowsTheTransitionsOfTheLifecycle(string from, string to) =>
        JobStateMachine.CanTransition(from, to).ShouldBeTrue();

    [Theory]
    [InlineData("pending", "completed")]
    [InlineData("pending", "failed")]
    [InlineData("completed", "pending")]
    [InlineData("completed", "failed")]
    [InlineData("failed", "completed")]
    [InlineData("cancelled", "processing")]
    [InlineData("unknown", "pending")]
    public void CanTransition_RefusesEverythingElse(string from, string to) =>
        JobStateMachine.CanTransition(from, to).ShouldBeFalse();

    [Fact]
    public void CanCancel_IsTrueForPendingAndForProcessingUntilRequested()
    {
        JobStateMachine.CanCancel(JobStatus.Pending, cancelAlreadyRequested: false).ShouldBeTrue();
        JobStateMachine.CanCancel(JobStatus.Processing, cancelAlreadyRequested: false).ShouldBeTrue();
        JobStateMachine.CanCancel(JobStatus.Processing, cancelAlreadyRequested: true).ShouldBeFalse();
        JobStateMachine.CanCancel(JobStatus.Completed, cancelAlreadyRequested: false).ShouldBeFalse();
        JobStateMachine.CanCancel(JobStatus.Failed, cancelAlreadyRequested: false).ShouldBeFalse();
    }

    [Fact]
    public void CanRetry_IsTrueOnlyForJobsThatEndedWithoutSuccess()
    {
        JobStatus.All.Where(JobStateMachine.CanRetry).ShouldBe([JobStatus.Failed, JobStatus.Cancelled], ignoreOrder: true);
    }

    [Fact]
    public void IsFinal_HoldsForCompletedFailedAndCancelled()
    {
        JobStatus.All.Where(JobStatus.IsFinal).ShouldBe([JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled], ignoreOrder: true);
    }
}
