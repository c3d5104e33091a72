using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Api.Contacts;
using Jobs.Contracts.Contacts;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Workloads.Contacts;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Worker.Handlers.Contacts;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jobs.IntegrationTests;

/// <summary>
/// <c>contacts.tag</c> and <c>contacts.delete</c> end to end, their reruns, the contact and sequence endpoints, and the
/// Development seed.
/// </summary>
public sealed class ContactsBulkTests(Servers servers)
{
    [Fact]
    public async Task Tag_TagsTheWorkspacesContacts_InBatches_AndReportsTheIdsItDoesNotHave()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var workspace = cluster.Caller.WorkspaceId;
        var contacts = await cluster.InsertContactsAsync(workspace, 250);
        await cluster.ScalarAsync<int>("INSERT INTO contact_tags (contact_id, tag, workspace_id) SELECT unnest(@ids::uuid[]), 'vip', @w",
            ("ids", contacts.Take(10).ToArray()), ("w", workspace));
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var foreign = (await cluster.InsertContactsAsync(otherCaller.WorkspaceId, 1, "foreign"))[0];
        var unknown = Guid.CreateVersion7();
        List<Guid> payload = [.. contacts[..100], unknown, .. contacts[100..], foreign];

        var id = await cluster.Client.SubmitContactsJobAsync(ContactTagHandler.TypeName, new { contactIds = payload, tags = new[] { " VIP", "Spring-2025", "vip " } });
        var job = await cluster.Client.WaitForStatusAsync(id, "completed");

        var result = job.Result!.Value;
        result.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["vip", "spring-2025"]);
        (result.GetProperty("total").GetInt32(), result.GetProperty("tagged").GetInt32()).ShouldBe((252, 250));
        result.GetProperty("notFound").Guids().ShouldBe([unknown, foreign]);
        (job.ProcessedItems, job.TotalItems, job.Progress).ShouldBe((252, 252, 100));
        (job.Metrics.GetProperty("tagged").GetInt32(), job.Metrics.GetProperty("not_found").GetInt32()).ShouldBe((250, 2));
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contact_tags WHERE tag = 'vip'")).ShouldBe(250);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contact_tags WHERE tag = 'spring-2025'")).ShouldBe(250);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contact_tags WHERE contact_id = @id", ("id", foreign))).ShouldBe(0);

        // Tagging again changes nothing and says the same.
        var again = await cluster.Client.WaitForStatusAsync(
            await cluster.Client.SubmitContactsJobAsync(ContactTagHandler.TypeName, new { contactIds = payload, tags = new[] { "vip" } }), "completed");
        again.Result!.Value.GetProperty("tagged").GetInt32().ShouldBe(250);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contact_tags")).ShouldBe(500);

        // The list filters by tag (any case) and pages with its cursor.
        var page1 = (await cluster.Client.GetFromJsonAsync<ContactListResponse>("/api/contacts?tag=Spring-2025&limit=200"))!;
        var page2 = (await cluster.Client.GetFromJsonAsync<ContactListResponse>($"/api/contacts?tag=spring-2025&limit=200&cursor={page1.NextCursor}"))!;
        var listed = page1.Items.Concat(page2.Items).ToList();
        listed.Select(c => c.Id).ShouldBe(contacts.OrderByDescending(c => c));
        listed.ShouldAllBe(c => c.Tags.SequenceEqual(new[] { "spring-2025", "vip" }));
        page2.NextCursor.ShouldBeNull();
    }

    [Fact]
    public async Task Delete_DeletesContactsWithTheirTagsAndEnrollments_AndReportsTheIdsItDoesNotHave()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var workspace = cluster.Caller.WorkspaceId;
        var contacts = await cluster.InsertContactsAsync(workspace, 30);
        var sequence = await cluster.InsertSequenceAsync(workspace, "Welcome");
        await cluster.EnrollAsync(workspace, sequence, [.. contacts]);
        await cluster.ScalarAsync<int>("INSERT INTO contact_tags (contact_id, tag, workspace_id) SELECT unnest(@ids::uuid[]), 'lead', @w",
            ("ids", contacts.ToArray()), ("w", workspace));
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var foreign = (await cluster.InsertContactsAsync(otherCaller.WorkspaceId, 1, "foreign"))[0];
        var unknown = Guid.CreateVersion7();

        List<Guid> payload = [.. contacts[..20], foreign, unknown];
        var id = await cluster.Client.SubmitContactsJobAsync(ContactDeleteHandler.TypeName, new { contactIds = payload });
        var job = await cluster.Client.WaitForStatusAsync(id, "completed");

        var result = job.Result!.Value;
        (result.GetProperty("total").GetInt32(), result.GetProperty("deleted").GetInt32()).ShouldBe((22, 20));
        result.GetProperty("notFound").Guids().ShouldBe([foreign, unknown]);
        job.Metrics.GetProperty("deleted").GetInt32().ShouldBe(20);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contacts WHERE workspace_id = @w", ("w", workspace))).ShouldBe(10);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contact_tags")).ShouldBe(10);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM sequence_enrollments")).ShouldBe(10);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contacts WHERE id = @id", ("id", foreign))).ShouldBe(1);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contact_deletions WHERE job_id = @id", ("id", id))).ShouldBe(20);
        var left = (await cluster.Client.GetFromJsonAsync<ContactListResponse>("/api/contacts?sort=email"))!;
        left.Items.Select(c => c.Id).ShouldBe(contacts[20..]);
    }

    [Fact]
    public async Task ContactWritesRepeatedByARerun_ReportTheSameOutcomes_AndAStaleAttemptWritesNothing()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var workspace = cluster.Caller.WorkspaceId;
        var contacts = await cluster.InsertContactsAsync(workspace, 6);
        var sequence = await cluster.InsertSequenceAsync(workspace, "Welcome");
        var subscribe = await cluster.Client.SubmitContactsJobAsync(ContactSubscribeHandler.TypeName, new { sequenceId = sequence, contactIds = contacts[..3] });
        var delete = await cluster.Client.SubmitContactsJobAsync(ContactDeleteHandler.TypeName, new { contactIds = contacts[3..] });
        var store = cluster.Api.Services.GetRequiredService<IJobStore>();
        var first = (await store.JobClaimManyAsync(new JobClaimManyParams([subscribe, delete], "worker-a", TimeSpan.FromSeconds(30)), CancellationToken.None)).Claimed.ToDictionary(j => j.Id);
        await using var dataSource = NpgsqlDataSource.Create(cluster.DatabaseConnectionString);
        var writer = new ContactWriter(dataSource, new NpgsqlContactStore(dataSource));

        // The first attempts do their work, then crash before completing.
        (await writer.EnrollmentInsertManyAsync(first[subscribe].Lease, workspace, sequence, contacts[..3], CancellationToken.None))!
            .Select(o => o.Status).ShouldBe([ContactOutcome.Succeeded, ContactOutcome.Succeeded, ContactOutcome.Succeeded]);
        (await writer.ContactDeleteManyAsync(first[delete].Lease, workspace, contacts[3..], CancellationToken.None))!.ShouldBe(contacts[3..], ignoreOrder: true);

        await cluster.ScalarAsync<int>("UPDATE jobs SET lease_expires_at = now() - interval '1 second'");
        var leader = (await cluster.Api.Services.GetRequiredService<IClusterStore>().LeaderAttemptElectAsync("maintenance", "test", TimeSpan.FromSeconds(30), CancellationToken.None))!;
        await store.JobRescueExpiredAsync(leader, 100, CancellationToken.None);
        var second = (await store.JobClaimManyAsync(new JobClaimManyParams([subscribe, delete], "worker-b", TimeSpan.FromSeconds(30)), CancellationToken.None)).Claimed.ToDictionary(j => j.Id);

        // The reruns find their own work done: enrolled by this job is a success, deleted by this job is deleted.
        (await writer.EnrollmentInsertManyAsync(second[subscribe].Lease, workspace, sequence, contacts[..3], CancellationToken.None))!
            .Select(o => o.Status).ShouldBe([ContactOutcome.Succeeded, ContactOutcome.Succeeded, ContactOutcome.Succeeded]);
        (await writer.ContactDeleteManyAsync(second[delete].Lease, workspace, contacts[3..], CancellationToken.None))!.ShouldBe(contacts[3..], ignoreOrder: true);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM sequence_enrollments")).ShouldBe(3);

        // Another job enrolling the same contacts finds them enrolled already.
        var otherJob = await cluster.Client.SubmitContactsJobAsync(ContactSubscribeHandler.TypeName, new { sequenceId = sequence, contactIds = contacts[..3] });
        var third = (await store.JobClaimManyAsync(new JobClaimManyParams([otherJob], "worker-c", TimeSpan.FromSeconds(30)), CancellationToken.None)).Claimed.Single();
        (await writer.EnrollmentInsertManyAsync(third.Lease, workspace, sequence, contacts[..3], CancellationToken.None))!
            .Select(o => o.Detail).ShouldBe([BlockReasons.AlreadyEnrolled, BlockReasons.AlreadyEnrolled, BlockReasons.AlreadyEnrolled]);

        // The stale first attempts change nothing.
        (await writer.EnrollmentInsertManyAsync(first[subscribe].Lease, workspace, sequence, contacts[3..], CancellationToken.None)).ShouldBeNull();
        (await writer.TagInsertManyAsync(first[delete].Lease, workspace, contacts, ["stale"], CancellationToken.None)).ShouldBeNull();
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contact_tags")).ShouldBe(0);
    }

    [Fact]
    public async Task ContactsList_Filters_SortsByEmail_PagesWithItsCursor_AndRejectsBadInput()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        await using var dataSource = NpgsqlDataSource.Create(cluster.DatabaseConnectionString);
        await DemoContacts.SeedAsync(new NpgsqlContactStore(dataSource), cluster.Caller.WorkspaceId, 300, CancellationToken.None);

        async Task<List<JsonElement>> AllAsync(string query)
        {
            var items = new List<JsonElement>();
            string? cursor = null;
            do
            {
                var page = await cluster.Client.GetFromJsonAsync<JsonElement>($"/api/contacts?{query}&limit=40{(cursor is null ? "" : $"&cursor={cursor}")}");
                items.AddRange(page.GetProperty("items").EnumerateArray());
                cursor = page.GetProperty("nextCursor").GetString();
            }
            while (cursor is not null);
            return items;
        }

        var byEmail = await AllAsync("sort=email");
        byEmail.Count.ShouldBe(300);
        byEmail.Select(c => c.GetProperty("email").GetString()).ShouldBe(byEmail.Select(c => c.GetProperty("email").GetString()).Order(StringComparer.Ordinal));
        (await AllAsync("optedOut=true")).Count.ShouldBe(300 / 23);
        (await AllAsync("doNotContact=true&sort=email")).Count.ShouldBe(300 / 37);
        (await AllAsync("optedOut=false&doNotContact=false")).Count.ShouldBe(300 - (300 / 23) - (300 / 37));
        var olivias = await AllAsync("search=OLIVIA");
        olivias.ShouldNotBeEmpty();
        olivias.ShouldAllBe(c => c.GetProperty("firstName").GetString() == "Olivia");
        var dunder = await AllAsync("search=dunder");
        dunder.ShouldNotBeEmpty();
        dunder.ShouldAllBe(c => c.GetProperty("company").GetString() == "Dunder Mifflin");
        (await AllAsync("search=100%25")).Count.ShouldBe(0); // % is literal, not a wildcard
        (await AllAsync("tag=customer&search=acme")).ShouldAllBe(c => c.GetProperty("company").GetString() == "Acme Corp");

        var (_, problem) = await cluster.Client.SendRawAsync(HttpMethod.Get, "/api/contacts?limit=0&optedOut=maybe&sort=oldest&cursor=not-a-cursor", null);
        problem.GetProperty("status").GetInt32().ShouldBe(400);
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        foreach (var field in new[] { "limit", "optedOut", "sort", "cursor" })
        {
            problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(field);
        }

        var emailCursor = (await cluster.Client.GetFromJsonAsync<JsonElement>("/api/contacts?sort=email&limit=1")).GetProperty("nextCursor").GetString();
        var (status, _) = await cluster.Client.SendRawAsync(HttpMethod.Get, $"/api/contacts?cursor={emailCursor}", null);
        status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ContactIds_CountTheContactsTheFiltersMatch_AndListTheNewestOfThemUpToTheLimit()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var workspace = cluster.Caller.WorkspaceId;
        var contacts = await cluster.InsertContactsAsync(workspace, 30);
        await cluster.ScalarAsync<int>("INSERT INTO contact_tags (contact_id, tag, workspace_id) SELECT unnest(@ids::uuid[]), 'vip', @w",
            ("ids", contacts.Take(12).ToArray()), ("w", workspace));
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        await cluster.InsertContactsAsync(otherCaller.WorkspaceId, 5, "foreign");

        var all = await cluster.Client.GetFromJsonAsync<JsonElement>("/api/contacts/ids");
        var vip = await cluster.Client.GetFromJsonAsync<JsonElement>("/api/contacts/ids?tag=VIP&limit=5");
        var countOnly = await cluster.Client.GetFromJsonAsync<JsonElement>("/api/contacts/ids?tag=vip&limit=0");
        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Get, "/api/contacts/ids?limit=1001", null);

        all.GetProperty("total").GetInt64().ShouldBe(30, "the other workspace's contacts are not counted");
        all.GetProperty("ids").Guids().ShouldBe(contacts.OrderByDescending(c => c));
        vip.GetProperty("total").GetInt64().ShouldBe(12);
        vip.GetProperty("ids").Guids().ShouldBe(contacts.Take(12).OrderByDescending(c => c).Take(5));
        countOnly.GetProperty("total").GetInt64().ShouldBe(12);
        countOnly.GetProperty("ids").GetArrayLength().ShouldBe(0);
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("limit")[0].GetString().ShouldBe("must be an integer between 0 and 1000.");
    }

    [Fact]
    public async Task DemoContacts_SeedSequencesAndFlaggedTaggedEnrolledContacts_OnceWhateverTheRuns()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        await using var dataSource = NpgsqlDataSource.Create(cluster.DatabaseConnectionString);
        var workspace = cluster.Caller.WorkspaceId;

        await DemoContacts.SeedAsync(new NpgsqlContactStore(dataSource), workspace, 1000, CancellationToken.None);
        await DemoContacts.SeedAsync(new NpgsqlContactStore(dataSource), workspace, 1000, CancellationToken.None);

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contacts WHERE workspace_id = @w", ("w", workspace))).ShouldBe(1000);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contacts WHERE opted_out")).ShouldBe(1000 / 23);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contacts WHERE do_not_contact")).ShouldBe(1000 / 37);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contact_tags WHERE tag = 'vip'")).ShouldBe(1000 / 17);
        var sequences = (await cluster.Client.GetFromJsonAsync<SequenceListResponse>("/api/sequences"))!.Items
            .ToDictionary(s => s.Name, s => s.EnrolledCount);
        sequences.ShouldBe(new Dictionary<string, long> { ["Onboarding"] = 1000 / 25, ["Re-engagement"] = 0, ["Welcome"] = 1000 / 10 }, ignoreOrder: true);
        // Newest first pages by id: the contacts' UUIDv7 ids follow their creation times.
        var newest = (await cluster.Client.GetFromJsonAsync<ContactListResponse>("/api/contacts?limit=3"))!;
        newest.Items.Select(c => c.Email.Split('.')[2])
            .ShouldBe(["1000@example", "999@example", "998@example"]);

        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _1 = other;
        (await other.GetFromJsonAsync<SequenceListResponse>("/api/sequences"))!.Items.ShouldBeEmpty();
        (await other.GetFromJsonAsync<ContactListResponse>("/api/contacts"))!.Items.ShouldBeEmpty();
    }
}
