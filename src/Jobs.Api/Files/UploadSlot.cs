namespace Jobs.Api.Files;

/// <summary>
/// One upload's place among those in progress (<see cref="UploadSlots"/>), given back on dispose; or, when
/// <see cref="IsTaken"/> is false, which cap refused it.
/// </summary>
public sealed class UploadSlot : IAsyncDisposable
{
    public const string KeyScope = "key";
    public const string WorkspaceScope = "workspace";
    public const string InstanceScope = "instance";

    private Func<Task>? release;

    private UploadSlot(Func<Task>? release, string? refusedScope, int limit)
    {
        this.release = release;
        RefusedScope = refusedScope;
        Limit = limit;
    }

    public bool IsTaken => RefusedScope is null;

    /// <summary><see cref="KeyScope"/>, <see cref="WorkspaceScope"/> or <see cref="InstanceScope"/>: whose cap was reached.</summary>
    public string? RefusedScope { get; }

    /// <summary>The cap that refused the upload.</summary>
    public int Limit { get; }

    internal static UploadSlot Taken(Func<Task> release) => new(release, null, 0);

    internal static UploadSlot Refused(string scope, int limit) => new(null, scope, limit);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref release, null) is { } giveBack)
        {
            await giveBack();
        }
    }
}
