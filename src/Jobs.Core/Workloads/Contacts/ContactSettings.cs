namespace Jobs.Core.Workloads.Contacts;

/// <summary>
/// A workspace's settings for the contact jobs: subscriptions run in batches of <see cref="SubscribeBatchSize"/> with
/// <see cref="SubscribeBatchPause"/> between them (downstream providers' rate limits); a bulk job takes at most
/// <see cref="MaxBatchItems"/> contacts (docs/design.md, "Admission, limits and fairness").
/// </summary>
public sealed record ContactSettings(int SubscribeBatchSize, TimeSpan SubscribeBatchPause, int MaxBatchItems);
