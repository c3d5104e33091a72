using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Jobs.Contracts.Jobs;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>
/// Arranges the contacts workload's rows for a test (the cluster's workspaces start empty) and makes the calls its
/// tests repeat: contacts and sequences by SQL, the workspace's subscribe batching, uploads and job submissions.
/// </summary>
public static class ContactsData
{
    /// <summary>A contact to create: its email and flags.</summary>
    public sealed record NewContact(string Email, bool OptedOut = false, bool DoNotContact = false, string? FirstName = null);

    /// <summary>Creates the contacts in the workspace; returns their ids, in the same order.</summary>
    public static async Task<List<Guid>> InsertContactsAsync(this TestCluster cluster, Guid workspaceId, IReadOnlyList<NewContact> contacts)
    {
        var ids = contacts.Select(_ => Guid.CreateVersion7()).ToArray();
        await cluster.ScalarAsync<long>("""
            WITH inserted AS (
                INSERT INTO contacts (id, workspace_id, email, first_name, opted_out, do_not_contact)
                SELECT c.id, @workspace_id, c.email, c.first_name, c.opted_out, c.do_not_contact
                FROM unnest(@ids::uuid[], @emails::text[], @first_names::text[], @opted_out::boolean[], @do_not_contact::boolean[])
                     AS c (id, email, first_name, opted_out, do_not_contact)
                RETURNING 1)
            SELECT count(*) FROM inserted
            """,
            ("workspace_id", workspaceId), ("ids", ids), ("emails", contacts.Select(c => c.Email).ToArray()),
            ("first_names", contacts.Select(c => c.FirstName).ToArray()),
            ("opted_out", contacts.Select(c => c.OptedOut).ToArray()), ("do_not_contact", contacts.Select(c => c.DoNotContact).ToArray()));
        return [.. ids];
    }

    /// <summary><paramref name="count"/> plain contacts named <c>{prefix}{i}@example.com</c>.</summary>
    public static Task<List<Guid>> InsertContactsAsync(this TestCluster cluster, Guid workspaceId, int count, string prefix = "contact") =>
        cluster.InsertContactsAsync(workspaceId, Enumerable.Range(0, count).Select(i => new NewContact($"{prefix}{i:D4}@example.com")).ToList());

    public static async Task<Guid> InsertSequenceAsync(this TestCluster cluster, Guid workspaceId, string name)
    {
        var id = Guid.CreateVersion7();
        await cluster.ScalarAsync<int>("INSERT INTO sequences (id, workspace_id, name) VALUES (@id, @workspace_id, @name)",
            ("id", id), ("workspace_id", workspaceId), ("name", name));
        return id;
    }

    /// <summary>Enrolls contacts as something other than a job would (job_id NULL).</summary>
    public static Task EnrollAsync(this TestCluster cluster, Guid workspaceId, Guid sequenceId, params Guid[] contactIds) =>
        cluster.ScalarAsync<int>("""
            INSERT INTO sequence_enrollments (sequence_id, contact_id, workspace_id)
            SELECT @sequence_id, id, @workspace_id FROM unnest(@ids::uuid[]) AS ids (id)
            """, ("sequence_id", sequenceId), ("workspace_id", workspaceId), ("ids", contactIds));

    public static Task SetSubscribeBatchingAsync(this TestCluster cluster, Guid workspaceId, int size, int pauseMs) =>
        cluster.ScalarAsync<int>("UPDATE workspaces SET subscribe_batch_size = @size, subscribe_batch_pause_ms = @pause WHERE id = @id",
            ("size", size), ("pause", pauseMs), ("id", workspaceId));

    public static Task<Guid> SubmitContactsJobAsync(this HttpClient client, string type, object payload, int? maxAttempts = null) =>
        client.SubmitAsync(new { type, payload, maxAttempts });

    /// <summary>Uploads <paramref name="csv"/> as a multipart form's file; returns the answer's body.</summary>
    public static async Task<JsonElement> UploadAsync(this HttpClient client, string csv, string fileName = "contacts.csv")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        using var response = await client.PostAsync("/api/uploads", form);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JobResponse> WaitForFinishAsync(this HttpClient client, Guid id, TimeSpan? timeout = null)
    {
        JobResponse? job = null;
        await Eventually.TrueAsync(async () =>
        {
            job = await client.GetJobAsync(id);
            return JobStatus.IsFinal(job.Status);
        }, $"job {id} to finish", timeout ?? TimeSpan.FromSeconds(60));
        return job!;
    }

    public static List<Guid> Guids(this JsonElement array) => array.EnumerateArray().Select(e => e.GetGuid()).ToList();
}
