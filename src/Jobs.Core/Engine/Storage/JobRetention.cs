namespace Jobs.Core.Engine.Storage;

/// <summary>
/// How long ended jobs are kept before maintenance deletes them: completed and cancelled ones, and failed ones (kept
/// longer by default, for investigation). <see cref="TimeSpan.Zero"/> keeps them forever.
/// </summary>
public sealed record JobRetention(TimeSpan Completed, TimeSpan Failed)
{
    public bool KeepsEverything => Completed == TimeSpan.Zero && Failed == TimeSpan.Zero;
}
