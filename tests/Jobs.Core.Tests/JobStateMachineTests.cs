using Jobs.Contracts.Jobs;
using Jobs.Core.Engine;

namespace Jobs.Core.Tests;

public sealed class JobStateMachineTests
{
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
