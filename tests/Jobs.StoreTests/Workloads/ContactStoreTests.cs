using Jobs.Core.Workloads.Contacts;

namespace Jobs.StoreTests.Workloads;

/// <summary>
/// <see cref="IContactStore"/>: imports upsert by email and count a rerun of the same job alike, deletions and
/// enrollments are idempotent per job (docs/design.md, "Delivery invariants"), the filters and keyset pages, and
/// another workspace's contacts and sequences invisible (docs/design.md, "Tenancy").
/// </summary>
public sealed class ContactStoreTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task An_import_upserts_by_email_keeps_what_a_row_leaves_empty_and_counts_a_rerun_alike()
    {
        var ws = await db.NewWorkspaceAsync();
        var (import, rerun, later) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        ContactImportRow[] rows =
        [
            new(1, "alice@example.com", "Alice", null, "Acme", null, OptedOut: true, DoNotContact: null),
            new(2, "bob@example.com", "Bob", null, null, null, OptedOut: null, DoNotContact: null),
        ];

        (await ImportAsync(ws, import, rows)).ShouldBe((2, 0));
        (await ImportAsync(ws, import, rows)).ShouldBe((2, 0));
        (await ImportAsync(ws, rerun, [new(1, "alice@example.com", null, "Smith", null, "+1 555", OptedOut: null, DoNotContact: true)])).ShouldBe((0, 1));

        var alice = (await ListAsync(ws, new ContactMatch(Search: "ALICE"))).ShouldHaveSingleItem();
        (alice.FirstName, alice.LastName, alice.Company, alice.Phone).ShouldBe(("Alice", "Smith", "Acme", "+1 555"));
        // An opted_out column left out never opts anyone back in.
        (alice.OptedOut, alice.DoNotContact).ShouldBe((true, true));
        (await ImportAsync(ws, later, [new(1, "alice@example.com", null, null, null, null, OptedOut: false, DoNotContact: null)])).ShouldBe((0, 1));
        (await ListAsync(ws, new ContactMatch(OptedOut: true))).ShouldBeEmpty();
        (await ListAsync(ws, new ContactMatch())).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Filters_combine_and_pages_follow_their_keys()
    {
        var ws = await db.NewWorkspaceAsync();
        await ImportAsync(ws, Guid.CreateVersion7(), [.. Enumerable.Range(0, 30).Select(i => new ContactImportRow(
            i, $"c{29 - i:00}@example.com", $"Name{i}", null, i % 3 == 0 ? "Acme 100%" : "Globex", null, OptedOut: i % 5 == 0, DoNotContact: false))]);
        var all = await ListAsync(ws, new ContactMatch(), limit: 100);
        await db.InTransactionAsync((c, t) => db.Contacts.TagInsertManyAsync(c, t, ws.Id, [.. all.Take(4).Select(x => x.Id)], ["vip"], Ct));

        (await ListAsync(ws, new ContactMatch(OptedOut: true))).Count.ShouldBe(6);
        (await ListAsync(ws, new ContactMatch(Tag: "vip"))).Select(c => c.Id).ShouldBe(all.Take(4).Select(c => c.Id));
        (await ListAsync(ws, new ContactMatch(Search: "acme 100%"))).Count.ShouldBe(10);
        // The search's own wildcards are taken literally.
        (await ListAsync(ws, new ContactMatch(Search: "acme 100_"))).ShouldBeEmpty();
        (await ListAsync(ws, new ContactMatch(Search: "%"))).Count.ShouldBe(10);
        (await ListAsync(ws, new ContactMatch(Tag: "vip", Search: "globex"))).Count.ShouldBe(all.Take(4).Count(c => c.Company == "Globex"));
        var (total, ids) = await db.Contacts.ContactIdsAsync(ws.Id, new ContactMatch(OptedOut: true), 4, Ct);
        (total, ids.Count).ShouldBe((6L, 4));

        (await PagesAsync(ws, ContactSort.Newest)).Select(c => c.Id).ShouldBe(all.Select(c => c.Id));
        all.Select(c => c.Id).ShouldBe(all.Select(c => c.Id).OrderDescending());
        (await PagesAsync(ws, ContactSort.Email)).Select(c => c.Email).ShouldBe(all.Select(c => c.Email).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Another_workspaces_contacts_and_sequences_are_invisible_and_unchanged()
    {
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        await db.Contacts.DemoSeedAsync(ws.Id, ["Welcome"], 5, Ct);
        var contacts = await ListAsync(ws, new ContactMatch());
        var ids = contacts.Select(c => c.Id).ToList();
        var sequence = (await db.Contacts.SequenceListAsync(ws.Id, Ct)).ShouldHaveSingleItem();
        var job = await other.SubmitOneAsync();

        (await db.InTransactionAsync((c, t) => db.Contacts.TagInsertManyAsync(c, t, other.Id, ids, ["stolen"], Ct))).ShouldBeEmpty();
        (await DeleteAsync(other, job.Id, ids)).ShouldBeEmpty();
        var candidates = await db.InTransactionAsync((c, t) => db.Contacts.EnrollmentCandidateListAsync(c, t, other.Id, sequence.Id, ids, Ct));

        candidates.ShouldAllBe(c => !c.Found && !c.Enrolled);
        (await ListAsync(other, new ContactMatch())).ShouldBeEmpty();
        (await db.Contacts.SequenceListAsync(other.Id, Ct)).ShouldBeEmpty();
        (await db.Contacts.SequenceNameGetAsync(other.Id, sequence.Id, Ct)).ShouldBeNull();
        (await db.Contacts.SequenceNameGetAsync(ws.Id, sequence.Id, Ct)).ShouldBe("Welcome");
        (await ListAsync(ws, new ContactMatch())).Select(c => (c.Id, c.UpdatedAt, c.Tags.Count))
            .ShouldBe(contacts.Select(c => (c.Id, c.UpdatedAt, c.Tags.Count)));
        (await db.Contacts.SettingsGetAsync(Guid.CreateVersion7(), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Deletions_and_enrollments_are_idempotent_for_their_job()
    {
        var ws = await db.NewWorkspaceAsync();
        await db.Contacts.DemoSeedAsync(ws.Id, ["Welcome"], 4, Ct);
        await db.Contacts.DemoSeedAsync(ws.Id, ["Welcome"], 4, Ct);
        var ids = (await ListAsync(ws, new ContactMatch())).Select(c => c.Id).ToList();
        ids.Count.ShouldBe(4);
        var sequence = (await db.Contacts.SequenceListAsync(ws.Id, Ct)).ShouldHaveSingleItem();
        var (deleting, otherDelete, enrolling) = (await ws.SubmitOneAsync(), await ws.SubmitOneAsync(), Guid.CreateVersion7());

        var deleted = await DeleteAsync(ws, deleting.Id, [ids[0], ids[1], Guid.CreateVersion7()]);
        var rerun = await DeleteAsync(ws, deleting.Id, [ids[0], ids[1]]);
        var byAnother = await DeleteAsync(ws, otherDelete.Id, [ids[0]]);

        deleted.ShouldBe([ids[0], ids[1]], ignoreOrder: true);
        rerun.ShouldBe([ids[0], ids[1]], ignoreOrder: true);
        byAnother.ShouldBeEmpty();

        var enrolled = await db.InTransactionAsync((c, t) => db.Contacts.EnrollmentInsertManyAsync(c, t, ws.Id, sequence.Id, enrolling, [ids[2], ids[3]], Ct));
        var again = await db.InTransactionAsync((c, t) => db.Contacts.EnrollmentInsertManyAsync(c, t, ws.Id, sequence.Id, enrolling, [ids[2], ids[3]], Ct));
        var candidates = await db.InTransactionAsync((c, t) =>
            db.Contacts.EnrollmentCandidateListAsync(c, t, ws.Id, sequence.Id, [ids[3], ids[0], ids[2]], Ct));
        var byJob = await db.InTransactionAsync((c, t) => db.Contacts.EnrollmentJobListAsync(c, t, sequence.Id, [ids[2], ids[3]], Ct));

        enrolled.ShouldBe([ids[2], ids[3]], ignoreOrder: true);
        again.ShouldBeEmpty();
        candidates.Select(c => (c.Id, c.Found, c.Enrolled, c.EnrolledByJobId)).ShouldBe(
            [(ids[3], true, true, enrolling), (ids[0], false, false, null), (ids[2], true, true, enrolling)]);
        byJob.ShouldBe([(ids[2], enrolling), (ids[3], enrolling)], ignoreOrder: true);
        (await db.Contacts.SequenceListAsync(ws.Id, Ct)).ShouldHaveSingleItem().EnrolledCount.ShouldBe(2);
    }

    private Task<(int Imported, int Updated)> ImportAsync(TestWorkspace ws, Guid jobId, IReadOnlyList<ContactImportRow> rows) =>
        db.InTransactionAsync((c, t) => db.Contacts.ContactUpsertManyAsync(c, t, ws.Id, jobId, rows, Ct));

    private Task<IReadOnlyList<Guid>> DeleteAsync(TestWorkspace ws, Guid jobId, IReadOnlyList<Guid> contactIds) =>
        db.InTransactionAsync((c, t) => db.Contacts.ContactDeleteManyAsync(c, t, ws.Id, jobId, contactIds, Ct));

    private Task<IReadOnlyList<ContactRow>> ListAsync(TestWorkspace ws, ContactMatch match, int limit = 100) =>
        db.Contacts.ContactListAsync(ws.Id, match, ContactSort.Newest, null, null, limit, Ct);

    /// <summary>Every contact of the workspace in <paramref name="sort"/>'s order, read seven at a time.</summary>
    private async Task<IReadOnlyList<ContactRow>> PagesAsync(TestWorkspace ws, ContactSort sort)
    {
        var read = new List<ContactRow>();
        while (true)
        {
            var page = await db.Contacts.ContactListAsync(ws.Id, new ContactMatch(), sort, read.LastOrDefault()?.Id, read.LastOrDefault()?.Email, 7, Ct);
            if (page.Count == 0)
            {
                return read;
            }

            page.Count.ShouldBeLessThanOrEqualTo(7);
            read.AddRange(page);
        }
    }
}
