using Jobs.Contracts.Workspaces;
using Jobs.Core.Identity;

namespace Jobs.StoreTests.Identity;

/// <summary>
/// <see cref="IWorkspaceStore"/>'s workspaces: the first admin made once however many instances start at once, the
/// seed that never resets what admins changed, and limits set by admins and capped by the operator's ceilings.
/// </summary>
public sealed class WorkspaceStoreTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task Racing_instances_make_the_first_admin_once()
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        string[] spellings = [email, email.ToUpperInvariant(), char.ToUpperInvariant(email[0]) + email[1..], email, email.ToUpperInvariant()];

        var made = await Task.WhenAll(spellings.Select(spelling => Task.Run(() =>
            db.Workspaces.FirstAdminCreateAsync(Guid.CreateVersion7(), "first", spelling, "First Admin", "hash", Ct))));

        made.Count(m => m).ShouldBe(1);
        var account = (await db.Workspaces.UserListByEmailAsync(email, Ct)).ShouldHaveSingleItem();
        (account.WorkspaceName, account.Role, account.PasswordHash).ShouldBe(("first", WorkspaceRoles.Admin, "hash"));
        (await db.Workspaces.FirstAdminCreateAsync(Guid.CreateVersion7(), "again", email, "Again", "hash", Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task Limits_set_by_an_admin_are_read_back_and_kept_by_the_seed()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 5);
        var limits = new WorkspaceLimits(
            MaxConcurrentJobs: 8, MaxBatchItems: 50, BulkJobsPerHour: 3, RequestsPerMinute: 120, SubscribeBatchSize: 10, SubscribeBatchPauseMs: 0);

        (await db.Workspaces.WorkspaceLimitsSetAsync(ws.Id, limits, Ct)).ShouldBeTrue();
        var user = (await db.Workspaces.UserGetAsync(ws.UserId, Ct)).ShouldNotBeNull();
        await db.Workspaces.WorkspaceEnsureAsync(
            new WorkspaceSeed(ws.Id, "renamed", ws.UserId, user.Email, user.DisplayName, ApiKeyHasher.NewKey(), MaxConcurrentJobs: 5), Ct);

        var workspace = (await db.Workspaces.WorkspaceGetAsync(ws.Id, Ct)).ShouldNotBeNull();
        WorkspaceLimits.Of(workspace).ShouldBe(limits);
        workspace.Name.ShouldBe("renamed");
        (await db.Workspaces.WorkspaceLimitsSetAsync(Guid.CreateVersion7(), limits, Ct)).ShouldBeFalse();
        (await db.Workspaces.WorkspaceGetAsync(Guid.CreateVersion7(), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Ceilings_bring_down_only_the_workspaces_above_them()
    {
        // The cap runs over every workspace: a database of its own.
        await using var own = await postgres.CreateDatabaseAsync();
        var above = await own.NewWorkspaceAsync(maxConcurrentJobs: 20);
        var within = await own.NewWorkspaceAsync(maxConcurrentJobs: 5);

        var capped = await own.Workspaces.WorkspaceLimitsCapAsync(
            new WorkspaceLimitCeilings(MaxConcurrentJobs: 10, MaxBatchItems: 1000, BulkJobsPerHour: 100, RequestsPerMinute: 10_000), Ct);

        capped.ShouldBe(1);
        (await own.Workspaces.WorkspaceGetAsync(above.Id, Ct)).ShouldNotBeNull().MaxConcurrentJobs.ShouldBe(10);
        (await own.Workspaces.WorkspaceGetAsync(within.Id, Ct)).ShouldNotBeNull().MaxConcurrentJobs.ShouldBe(5);
        // A lowered limit leaves its upper slots idle: the next fill hints only ten.
        await above.SubmitAsync(15, hint: false);
        (await above.HintAsync()).Count.ShouldBe(10);
    }
}
