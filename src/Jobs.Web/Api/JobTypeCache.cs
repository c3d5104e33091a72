using Jobs.Client;
using Jobs.Web.Components.Display;
using Polly.Timeout;

namespace Jobs.Web.Api;

/// <summary>
/// The catalog as the pages name jobs with it, read from the API at most once a minute per process: it is the same for
/// every user, and changes only when a worker with new types starts. When the API cannot be read, pages get the last
/// catalog read, or none, and show machine names rather than fail.
/// </summary>
public sealed class JobTypeCache(TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private volatile Entry? _entry;

    private sealed record Entry(JobTypeTexts Texts, DateTimeOffset ReadAt);

    public async Task<JobTypeTexts> GetAsync(JobsClient api, CancellationToken cancellationToken)
    {
        var entry = _entry;
        if (entry is not null && time.GetUtcNow() - entry.ReadAt < MaxAge)
        {
            return entry.Texts;
        }

        try
        {
            var texts = new JobTypeTexts(await api.ListJobTypesAsync(cancellationToken));
            _entry = new Entry(texts, time.GetUtcNow());
            return texts;
        }
        catch (Exception ex) when (ex is HttpRequestException or JobsApiException or TimeoutRejectedException)
        {
            return entry?.Texts ?? JobTypeTexts.Empty;
        }
    }
}
