using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Jobs.Api.Contacts;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Files;
using Jobs.Core.Workloads.Contacts;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Worker.Handlers.Contacts;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Jobs.IntegrationTests.Infrastructure.ContactsData;

namespace Jobs.IntegrationTests;

/// <summary>
/// Files in and out of the contact jobs: <c>contacts.export</c> and its download, <c>POST /api/uploads</c> and
/// <c>contacts.import</c> with its per-row errors, and the file storage under them (large objects).
/// </summary>
public sealed class ContactsFilesTests(Servers servers)
{
    [Fact]
    public async Task Export_WritesTheFilteredContactsAsCsv_DownloadableFromTheJob_ByItsWorkspaceOnly()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        await using var dataSource = NpgsqlDataSource.Create(cluster.DatabaseConnectionString);
        var workspace = cluster.Caller.WorkspaceId;
        await DemoContacts.SeedAsync(new NpgsqlContactStore(dataSource), workspace, 300, CancellationToken.None);
        var expected = await EmailsAsync(dataSource, """
            SELECT c.email FROM contacts c
            WHERE c.workspace_id = @w AND NOT c.opted_out
              AND EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = 'customer')
            ORDER BY c.email
            """, workspace);
        expected.Count.ShouldBeGreaterThan(50);

        var id = await cluster.Client.SubmitContactsJobAsync(ContactExportHandler.TypeName, new { filters = new { tag = "Customer", optedOut = false } });
        var job = await cluster.Client.WaitForStatusAsync(id, "completed");

        var result = job.Result!.Value;
        result.GetProperty("file").GetString().ShouldBe("contacts.csv");
        result.GetProperty("rows").GetInt64().ShouldBe(expected.Count);
        result.GetProperty("url").GetString().ShouldBe($"/api/jobs/{id}/files/contacts.csv");
        (job.Progress, job.ProcessedItems, job.TotalItems).ShouldBe((100, expected.Count, expected.Count));
        using var response = await cluster.Client.GetAsync($"/api/jobs/{id}/files/contacts.csv");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        response.Content.Headers.ContentDisposition.FileName!.Trim('"').ShouldBe("contacts.csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.LongLength.ShouldBe(result.GetProperty("size").GetInt64());
        response.Content.Headers.ContentLength.ShouldBe(bytes.LongLength);
        var text = Encoding.UTF8.GetString(bytes);
        text.Split("\r\n")[0].ShouldBe(string.Join(',', ContactsCsv.Header));
        using var csv = CsvReader.FromText(text);
        var rows = new List<(string Email, string OptedOut, string Tags)>();
        while (csv.Read())
        {
            rows.Add((csv.GetString("email") ?? "", csv.GetString("opted_out") ?? "", csv.GetString("tags") ?? ""));
        }

        rows.Select(r => r.Email).ShouldBe(expected);
        rows.ShouldAllBe(r => r.OptedOut == "false" && r.Tags.Split(';', StringSplitOptions.None).Any(t => t == "customer"));

        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _1 = other;
        foreach (var (client, path) in new[]
        {
            (other, $"/api/jobs/{id}/files/contacts.csv"), (cluster.Client, $"/api/jobs/{id}/files/other.csv"),
            (cluster.Client, $"/api/jobs/{Guid.CreateVersion7()}/files/contacts.csv"), (cluster.Client, "/api/jobs/not-an-id/files/contacts.csv"),
            (cluster.Client, $"/api/jobs/{id}/files/..%2Fcontacts.csv"),
        })
        {
            var (status, problem) = await client.SendRawAsync(HttpMethod.Get, path, null);
            status.ShouldBe(HttpStatusCode.NotFound, path);
            problem.GetProperty("code").GetString().ShouldBe("file_not_found", path);
        }
    }

    [Fact]
    public async Task Export_OfThousandsOfContacts_PagesThroughEveryOne_InEmailOrder()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        await using var dataSource = NpgsqlDataSource.Create(cluster.DatabaseConnectionString);
        await DemoContacts.SeedAsync(new NpgsqlContactStore(dataSource), cluster.Caller.WorkspaceId, 3500, CancellationToken.None);

        var id = await cluster.Client.SubmitContactsJobAsync(ContactExportHandler.TypeName, new { });
        var job = await cluster.Client.WaitForStatusAsync(id, "completed");

        job.Result!.Value.GetProperty("rows").GetInt64().ShouldBe(3500);
        var text = await cluster.Client.GetStringAsync($"/api/jobs/{id}/files/contacts.csv");
        Encoding.UTF8.GetByteCount(text).ShouldBe((int)job.Result!.Value.GetProperty("size").GetInt64());
        using var csv = CsvReader.FromText(text);
        var emails = new List<string>();
        while (csv.Read())
        {
            emails.Add(csv.GetString("email") ?? "");
        }

        emails.Count.ShouldBe(3500);
        emails.ShouldBe(emails.Order(StringComparer.Ordinal).ToList());
        emails.ShouldBeUnique();
    }

    [Fact]
    public async Task Import_UpsertsTheValidRows_ReportsEachInvalidRowByLine_AndAReimportUpdatesRatherThanDuplicates()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var workspace = cluster.Caller.WorkspaceId;
        await cluster.InsertContactsAsync(workspace, [
            new NewContact("ann@example.com", OptedOut: true, FirstName: "Old"),
            new NewContact("zoe@example.com", OptedOut: true, FirstName: "Zo"),
        ]);
        var longName = new string('x', 101);
        var file = string.Join("\r\n",
            "Email,First Name,last_name,COMPANY,phone,opted_out,do_not_contact,notes", // 1
            "ann@example.com,Ann,Lee,Acme,+1 555 0100,false,no,hello",                // 2 updates Ann, opts her back in explicitly
            " BOB@Example.com ,Bob,,,,,,",                                             // 3 new, email normalized
            ",No,Email,,,,,",                                                          // 4 missing email
            "not-an-email,X,Y,,,,,",                                                   // 5 invalid email
            "bob@example.com,Bobby,,,,,,",                                             // 6 duplicate of line 3
            $"carol@example.com,Carol,{longName},,,,,",                                // 7 last name too long
            "dave@example.com,Dave,,,,maybe,,",                                        // 8 bad boolean
            "\"erin@example.com\",\"Erin \"\"E\"\" Smith\",,\"Quotes, Inc\",,true,,",  // 9 new, quoted, opted out
            "frank@example.com,Frank,\"Two\r\nLines\",,,,,",                           // 10-11 new, a line break in a quoted field
            "grace@example.com,Gr\"ace,,,,,,",                                         // 12 stray quote
            "heidi@example.com,Heidi,,,call me,,,",                                    // 13 phone with letters
            "zoe@example.com,Zoe,,,,,,",                                               // 14 updates Zoe, who stays opted out
            "");
        var upload = await cluster.Client.UploadAsync(file, "people.csv");
        upload.GetProperty("name").GetString().ShouldBe("people.csv");
        upload.GetProperty("size").GetInt64().ShouldBe(Encoding.UTF8.GetByteCount(file));

        var id = await cluster.Client.SubmitContactsJobAsync(ContactImportHandler.TypeName, new { uploadId = upload.GetProperty("uploadId").GetGuid() });
        var job = await cluster.Client.WaitForFinishAsync(id);

        job.Status.ShouldBe("completed", job.ToString());
        var result = job.Result!.Value;
        (result.GetProperty("rows").GetInt64(), result.GetProperty("imported").GetInt32(), result.GetProperty("updated").GetInt32(), result.GetProperty("invalidCount").GetInt32())
            .ShouldBe((12, 3, 2, 7), result.ToString());
        var invalid = result.GetProperty("invalid").EnumerateArray().Select(r => (r.GetProperty("line").GetInt64(), r.GetProperty("reason").GetString()!)).ToList();
        invalid.Select(r => r.Item1).ShouldBe([4L, 5, 6, 7, 8, 12, 13], result.ToString());
        invalid[0].Item2.ShouldBe("missing email");
        invalid[1].Item2.ShouldBe("invalid email 'not-an-email'");
        invalid[2].Item2.ShouldBe("duplicate email 'bob@example.com' (first on line 3)");
        invalid[3].Item2.ShouldBe("last_name is longer than 100 characters (101)");
        invalid[4].Item2.ShouldStartWith("opted_out must be true or false");
        invalid[5].Item2.ShouldStartWith("malformed CSV");
        invalid[6].Item2.ShouldStartWith("phone 'call me' has characters other than digits");
        result.GetProperty("invalidTruncated").GetBoolean().ShouldBeFalse();
        result.GetProperty("ignoredColumns").EnumerateArray().Select(c => c.GetString()).ShouldBe(["notes"]);
        (job.Progress, job.ProcessedItems).ShouldBe((100, 12));

        var contacts = (await cluster.Client.GetFromJsonAsync<JsonElement>("/api/contacts?sort=email")).GetProperty("items").EnumerateArray()
            .ToDictionary(c => c.GetProperty("email").GetString()!);
        contacts.Keys.ShouldBe(["ann@example.com", "bob@example.com", "erin@example.com", "frank@example.com", "zoe@example.com"]);
        (contacts["ann@example.com"].GetProperty("firstName").GetString(), contacts["ann@example.com"].GetProperty("optedOut").GetBoolean(),
            contacts["ann@example.com"].GetProperty("company").GetString(), contacts["ann@example.com"].GetProperty("phone").GetString())
            .ShouldBe(("Ann", false, "Acme", "+1 555 0100"));
        contacts["bob@example.com"].GetProperty("firstName").GetString().ShouldBe("Bob");
        (contacts["erin@example.com"].GetProperty("firstName").GetString(), contacts["erin@example.com"].GetProperty("company").GetString(),
            contacts["erin@example.com"].GetProperty("optedOut").GetBoolean()).ShouldBe(("Erin \"E\" Smith", "Quotes, Inc", true));
        contacts["frank@example.com"].GetProperty("lastName").GetString().ShouldBe("Two\r\nLines");
        (contacts["zoe@example.com"].GetProperty("firstName").GetString(), contacts["zoe@example.com"].GetProperty("optedOut").GetBoolean()).ShouldBe(("Zoe", true));

        // The same file again: everyone is there already.
        var again = await cluster.Client.WaitForFinishAsync(
            await cluster.Client.SubmitContactsJobAsync(ContactImportHandler.TypeName, new { uploadId = upload.GetProperty("uploadId").GetGuid() }));
        again.Status.ShouldBe("completed");
        (again.Result!.Value.GetProperty("imported").GetInt32(), again.Result!.Value.GetProperty("updated").GetInt32()).ShouldBe((0, 5));
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contacts WHERE workspace_id = @w", ("w", workspace))).ShouldBe(5);
    }

    [Fact]
    public async Task ExportThenImport_RoundTrips_UpdatingEveryContact()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        await using var dataSource = NpgsqlDataSource.Create(cluster.DatabaseConnectionString);
        await DemoContacts.SeedAsync(new NpgsqlContactStore(dataSource), cluster.Caller.WorkspaceId, 400, CancellationToken.None);
        var export = await cluster.Client.WaitForStatusAsync(await cluster.Client.SubmitContactsJobAsync(ContactExportHandler.TypeName, new { }), "completed");
        var csv = await cluster.Client.GetStringAsync(export.Result!.Value.GetProperty("url").GetString());

        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await cluster.Client.PostAsync("/api/uploads?name=contacts-export.csv", content);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var upload = await response.Content.ReadFromJsonAsync<JsonElement>();
        upload.GetProperty("name").GetString().ShouldBe("contacts-export.csv");
        var import = await cluster.Client.WaitForFinishAsync(
            await cluster.Client.SubmitContactsJobAsync(ContactImportHandler.TypeName, new { uploadId = upload.GetProperty("uploadId").GetGuid() }));

        import.Status.ShouldBe("completed", import.ToString());
        var result = import.Result!.Value;
        (result.GetProperty("rows").GetInt64(), result.GetProperty("imported").GetInt32(), result.GetProperty("updated").GetInt32(), result.GetProperty("invalidCount").GetInt32())
            .ShouldBe((400, 0, 400, 0));
        result.GetProperty("ignoredColumns").EnumerateArray().Select(c => c.GetString()).ShouldBe(["tags", "created_at", "id"]);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contacts WHERE opted_out")).ShouldBe(400 / 23);
    }

    [Fact]
    public async Task Upload_OverTheLimit_Is413_AndStoresNothing_WhateverTheBodysFraming()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: new Dictionary<string, string?> { ["Uploads:MaxBytes"] = "1024" });
        var tooBig = "email\r\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"someone{i:D3}@example.com\r\n"));

        // With a Content-Length, refused before reading; without one (chunked), refused once the limit is passed.
        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/uploads", tooBig, "text/csv");
        status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        problem.GetProperty("code").GetString().ShouldBe("payload_too_large");
        problem.GetProperty("maxBytes").GetInt64().ShouldBe(1024);
        using var chunked = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(tooBig)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await cluster.Client.PostAsync("/api/uploads", chunked);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM uploads")).ShouldBe(0);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata")).ShouldBe(0);

        var (unsupported, _) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/uploads", "{}", "application/json");
        unsupported.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        using var noFile = new MultipartFormDataContent { { new StringContent("x"), "field" } };
        using var noFileResponse = await cluster.Client.PostAsync("/api/uploads", noFile);
        noFileResponse.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var truncated = new ByteArrayContent(Encoding.UTF8.GetBytes(
            "--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\nemail\r\na@example.com"));
        truncated.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=abc");
        using var truncatedResponse = await cluster.Client.PostAsync("/api/uploads", truncated);
        truncatedResponse.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await truncatedResponse.Content.ReadAsStringAsync());
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata")).ShouldBe(0);
        var small = await cluster.Client.UploadAsync("email\r\na@example.com\r\n", "../../etc/small.csv");
        small.GetProperty("name").GetString().ShouldBe("small.csv");
    }

    [Fact]
    public async Task Import_OfAnotherWorkspacesUpload_OrOfAFileWithoutEmails_FailsAtOnce()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _1 = other;
        var theirs = (await other.UploadAsync("email\r\nx@example.com\r\n")).GetProperty("uploadId").GetGuid();
        var noEmail = (await cluster.Client.UploadAsync("name,phone\r\nAnn,123\r\n")).GetProperty("uploadId").GetGuid();
        var empty = (await cluster.Client.UploadAsync("")).GetProperty("uploadId").GetGuid();

        foreach (var (uploadId, error) in new[]
        {
            (theirs, $"Upload {theirs} does not exist in this workspace."),
            (Guid.CreateVersion7(), "does not exist in this workspace."),
            (noEmail, "The file has no email column. Its header is \"name,phone\""),
            (empty, "The file is empty"),
        })
        {
            var job = await cluster.Client.WaitForStatusAsync(
                await cluster.Client.SubmitContactsJobAsync(ContactImportHandler.TypeName, new { uploadId }, maxAttempts: 3), "failed");
            job.Attempt.ShouldBe(1);
            job.Error!.ShouldContain(error);
        }

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM contacts")).ShouldBe(0);
    }

    [Fact]
    public async Task JobFile_WrittenAgainByARerun_ReplacesTheContent_FailsAReadInProgress_AndAStaleAttemptStoresNothing()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await cluster.Client.SubmitContactsJobAsync(ContactExportHandler.TypeName, new { });
        var store = cluster.Api.Services.GetRequiredService<IJobStore>();
        var files = cluster.Api.Services.GetRequiredService<IFileStore>();
        var first = (await store.JobClaimManyAsync(new JobClaimManyParams([id], "worker-a", TimeSpan.FromSeconds(30)), CancellationToken.None)).Claimed.Single();
        var workspace = cluster.Caller.WorkspaceId;

        async Task<JobFile?> WriteAsync(Jobs.Core.Engine.JobLease lease, string text)
        {
            await using var content = await files.ContentCreateAsync(CancellationToken.None);
            // Larger than one chunk, so that the content goes to the server in several writes.
            for (var i = 0; i < 3000; i++)
            {
                await content.WriteAsync(Encoding.UTF8.GetBytes($"{text} {i:D6} {new string('.', 100)}\n"));
            }

            return await files.JobFileUpsertIfRunningAsync(content, new JobFileUpsertParams(lease, workspace, "out.txt", "text/plain"), CancellationToken.None);
        }

        async Task<string> ReadAsync()
        {
            var (file, content) = (await files.JobFileOpenReadAsync(workspace, id, "out.txt", CancellationToken.None))!.Value;
            await using (content)
            {
                using var reader = new StreamReader(content);
                var text = await reader.ReadToEndAsync();
                Encoding.UTF8.GetByteCount(text).ShouldBe((int)file.Size);
                return text;
            }
        }

        (await WriteAsync(first.Lease, "first")).ShouldNotBeNull().Size.ShouldBeGreaterThan(FileContentWriter.ChunkSize);
        (await ReadAsync()).ShouldStartWith("first 000000");
        // A read in progress when the file is replaced fails, rather than going on with the new content.
        var (_, reading) = (await files.JobFileOpenReadAsync(workspace, id, "out.txt", CancellationToken.None))!.Value;
        await using (reading)
        {
            await reading.ReadExactlyAsync(new byte[1000]);
            (await WriteAsync(first.Lease, "again")).ShouldNotBeNull();
            await Should.ThrowAsync<IOException>(() => reading.CopyToAsync(Stream.Null));
        }

        (await ReadAsync()).ShouldStartWith("again 000000");
        (await ReadAsync()).ShouldEndWith($"again 002999 {new string('.', 100)}\n");
        // The replaced content was unlinked with its row's update.
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata")).ShouldBe(1);

        await cluster.ScalarAsync<int>("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = @id", ("id", id));
        var leader = (await cluster.Api.Services.GetRequiredService<IClusterStore>().LeaderAttemptElectAsync("maintenance", "test", TimeSpan.FromSeconds(30), CancellationToken.None))!;
        await store.JobRescueExpiredAsync(leader, 100, CancellationToken.None);
        (await WriteAsync(first.Lease, "stale")).ShouldBeNull();
        (await ReadAsync()).ShouldStartWith("again 000000");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata")).ShouldBe(1);
        (await files.JobFileOpenReadAsync(workspace, id, "missing.txt", CancellationToken.None)).ShouldBeNull();
        (await files.JobFileOpenReadAsync(Guid.CreateVersion7(), id, "out.txt", CancellationToken.None)).ShouldBeNull();
    }

    private static async Task<List<string>> EmailsAsync(NpgsqlDataSource dataSource, string sql, Guid workspaceId)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("w", workspaceId);
        var emails = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            emails.Add(reader.GetString(0));
        }

        return emails;
    }

    /// <summary>A body without a length, so that HttpClient sends it chunked.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
