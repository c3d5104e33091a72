namespace Jobs.Worker.Processing;

/// <summary>Why a running attempt's token was cancelled; decides what the worker writes afterwards.</summary>
public enum StopReason
{
    None,

    /// <summary>A user asked to cancel: the job ends cancelled.</summary>
    CancelRequested,

    /// <summary>The job's timeout passed: a retryable failure.</summary>
    TimedOut,

    /// <summary>The worker is shutting down: the job is handed back to pending for another worker.</summary>
    Shutdown,

    /// <summary>The lease is gone (a fenced write failed, or heartbeats failed past the lease): write nothing.</summary>
    LeaseLost,
}
