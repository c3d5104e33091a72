using Jobs.Core.Identity;

namespace Jobs.StoreTests.Identity;

/// <summary>
/// <see cref="IWorkspaceStore"/>'s keys and sessions (docs/design.md, "Tenancy"): a key finds its caller until it is
/// revoked or expires, revoking is idempotent and audited once, and another workspace's key is "not found".
/// </summary>
public sealed class ApiKeyStoreTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task A_key_finds_its_caller_until_revoked_and_a_second_revocation_changes_nothing()
    {
        var ws = await db.NewWorkspaceAsync();

        var created = await db.Workspaces.ApiKeyCreateAsync(ws.Caller, "ci", Ct);

        var key = created.Key;
        (key.Name, key.Prefix, key.CreatedByUserId, key.RevokedAt).ShouldBe(("ci", created.PlainKey[..ApiKeyHasher.PrefixLength], ws.UserId, null));
        var caller = (await db.Workspaces.ApiKeyFindCallerAsync(created.PlainKey, Ct)).ShouldNotBeNull();
        caller.ShouldBe(new Caller(ws.Id, ws.UserId) { Role = WorkspaceRoles.Admin, ApiKeyId = key.Id, ApiKeyKind = ApiKeyKinds.Key });
        var byId = (await db.Workspaces.ApiKeyFindCallerByIdAsync(key.Id, Ct)).ShouldNotBeNull();
        byId.Caller.ShouldBe(caller);
        byId.KeyHash.ShouldBe(ApiKeyHasher.Hash(created.PlainKey));
        (await db.Workspaces.ApiKeyListAsync(ws.Id, Ct)).Select(k => k.Name).ShouldBe(["ci", "seeded"]);

        await db.Workspaces.ApiKeyTouchAsync(key.Id, Ct);
        var touched = (await db.Workspaces.ApiKeyListAsync(ws.Id, Ct))[0].LastUsedAt.ShouldNotBeNull();
        await db.Workspaces.ApiKeyTouchAsync(key.Id, Ct);
        (await db.Workspaces.ApiKeyListAsync(ws.Id, Ct))[0].LastUsedAt.ShouldBe(touched);

        (await db.Workspaces.ApiKeyRevokeByIdAsync(ws.Caller, key.Id, Ct)).ShouldBe(ApiKeyHasher.Hash(created.PlainKey));
        (await db.Workspaces.ApiKeyFindCallerAsync(created.PlainKey, Ct)).ShouldBeNull();
        (await db.Workspaces.ApiKeyFindCallerByIdAsync(key.Id, Ct)).ShouldBeNull();
        var revokedAt = (await db.Workspaces.ApiKeyListAsync(ws.Id, Ct))[0].RevokedAt.ShouldNotBeNull();

        (await db.Workspaces.ApiKeyRevokeByIdAsync(ws.Caller, key.Id, Ct)).ShouldBe(ApiKeyHasher.Hash(created.PlainKey));
        (await db.Workspaces.ApiKeyListAsync(ws.Id, Ct))[0].RevokedAt.ShouldBe(revokedAt);
        var audit = await db.Workspaces.AuditEventListAsync(ws.Id, 10, null, Ct);
        audit.Select(a => a.Action).ShouldBe([AuditActions.ApiKeyRevoked, AuditActions.ApiKeyCreated]);
    }

    [Fact]
    public async Task Another_workspaces_key_cannot_be_revoked_or_listed_and_unknown_keys_find_nobody()
    {
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        var created = await db.Workspaces.ApiKeyCreateAsync(ws.Caller, "ci", Ct);

        (await db.Workspaces.ApiKeyRevokeByIdAsync(other.Caller, created.Key.Id, Ct)).ShouldBeNull();

        (await db.Workspaces.ApiKeyFindCallerAsync(created.PlainKey, Ct)).ShouldNotBeNull();
        (await db.Workspaces.ApiKeyListAsync(other.Id, Ct)).ShouldNotContain(k => k.Id == created.Key.Id);
        (await db.Workspaces.AuditEventListAsync(other.Id, 10, null, Ct)).ShouldBeEmpty();
        (await db.Workspaces.ApiKeyFindCallerAsync(ApiKeyHasher.NewKey(), Ct)).ShouldBeNull();
        (await db.Workspaces.ApiKeyFindCallerByIdAsync(Guid.CreateVersion7(), Ct)).ShouldBeNull();
        (await db.Workspaces.ApiKeyRevokeByIdAsync(ws.Caller, Guid.CreateVersion7(), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task A_session_is_no_key_of_the_list_expires_and_switches_once()
    {
        var ws = await db.NewWorkspaceAsync();
        var shortSession = await db.Workspaces.SessionCreateAsync(ws.Caller, TimeSpan.FromMilliseconds(200), Ct);
        var session = await db.Workspaces.SessionCreateAsync(ws.Caller, TimeSpan.FromHours(1), Ct);

        var caller = (await db.Workspaces.ApiKeyFindCallerAsync(session, Ct)).ShouldNotBeNull();
        caller.ApiKeyKind.ShouldBe(ApiKeyKinds.Session);
        caller.ApiKeyExpiresAt.ShouldNotBeNull().ShouldBe(DateTimeOffset.UtcNow.AddHours(1), TimeSpan.FromSeconds(10));
        (await db.Workspaces.ApiKeyListAsync(ws.Id, Ct)).Select(k => k.Name).ShouldBe(["seeded"]);
        await Task.Delay(400, Ct);
        (await db.Workspaces.ApiKeyFindCallerAsync(shortSession, Ct)).ShouldBeNull();

        var switched = (await db.Workspaces.SessionSwitchAsync(session, ws.Caller, TimeSpan.FromHours(1), Ct)).ShouldNotBeNull();

        (await db.Workspaces.ApiKeyFindCallerAsync(session, Ct)).ShouldBeNull();
        (await db.Workspaces.ApiKeyFindCallerAsync(switched, Ct)).ShouldNotBeNull();
        (await db.Workspaces.SessionSwitchAsync(session, ws.Caller, TimeSpan.FromHours(1), Ct)).ShouldBeNull();
        // Only a live session switches: not an expired one, not a named key.
        (await db.Workspaces.SessionSwitchAsync(shortSession, ws.Caller, TimeSpan.FromHours(1), Ct)).ShouldBeNull();
        (await db.Workspaces.SessionSwitchAsync(ws.ApiKey, ws.Caller, TimeSpan.FromHours(1), Ct)).ShouldBeNull();
        (await db.Workspaces.ApiKeyFindCallerAsync(ws.ApiKey, Ct)).ShouldNotBeNull();
    }
}
