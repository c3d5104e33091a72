using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Contracts.Webhooks;
using Jobs.Core.Identity;
using Jobs.Core.Webhooks;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

/// <summary>
/// Every operation the API documents, called with workspace A's (admin) key and workspace B's real ids,
/// answers like an unknown id (404 with a problem body), shows none of B's data, and changes none of B's rows. The
/// walk reads the OpenAPI document, so an endpoint added later is walked too; a route parameter it cannot fill with
/// one of B's ids fails the test until <see cref="RouteValues"/> says which id it takes.
/// </summary>
public sealed class CrossWorkspaceTests(Servers servers)
{
    /// <summary>
    /// Which of B's ids a route parameter takes, by the path segment before it and its name (the same name means
    /// different things after <c>jobs/</c> and <c>keys/</c>).
    /// </summary>
    private static readonly Dictionary<string, Func<TheirData, string>> RouteValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["jobs/{id}"] = b => b.JobId.ToString(),
        ["files/{name}"] = b => b.FileName,
        ["campaigns/{id}"] = b => b.CampaignId.ToString(),
        ["schedules/{id}"] = b => b.ScheduleId.ToString(),
        ["templates/{id}"] = b => b.TemplateId.ToString(),
        ["contacts/{id}"] = b => b.ContactId.ToString(),
        ["sequences/{id}"] = b => b.SequenceId.ToString(),
        ["uploads/{id}"] = b => b.UploadId.ToString(),
        ["keys/{id}"] = b => b.KeyId.ToString(),
        ["api-keys/{id}"] = b => b.KeyId.ToString(),
        ["users/{id}"] = b => b.UserId.ToString(),
        ["sessions/{sessionId}"] = b => b.SessionId.ToString(),
        ["members/{id}"] = b => b.UserId.ToString(),
        ["workspaces/{id}"] = b => b.WorkspaceId.ToString(),
        ["webhooks/{id}"] = b => b.WebhookId.ToString(),
        ["deliveries/{deliveryId}"] = b => b.WebhookDeliveryId.ToString(),
        // Not ids but the shared catalog's names: B has paused them; A's pause or resume of the same name is A's own
        // (SharedNames), and B's pauses must come out unchanged.
        ["queues/{queue}"] = _ => "default",
        ["types/{type}"] = _ => "demo",
    };

    /// <summary>Route parameters that name what every workspace shares (queues, job types), not rows of B's.</summary>
    private static readonly HashSet<string> SharedNames = new(StringComparer.OrdinalIgnoreCase) { "{queue}", "{type}" };

    [Fact]
    public async Task EveryDocumentedOperation_WithAnotherWorkspacesIds_Answers404_LeaksNothing_AndChangesNothing()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (b, bCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = b;
        var theirs = await TheirData.CreateAsync(cluster, b, bCaller.WorkspaceId, bCaller.UserId);
        var before = await SnapshotAsync(cluster, bCaller.WorkspaceId);
        using var anonymous = cluster.Api.CreateClient();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = Operation.AllOf(document);

        var failures = new List<string>();
        // Routes with ids first, while A's workspace is untouched; then lists; then writes to A's own workspace
        // (which may change its limits); signing out (which revokes the key it is made with) last.
        foreach (var operation in operations.OrderBy(o => o.HasRouteParameters ? 0 : o.Method switch { "GET" => 1, "DELETE" => 3, _ => 2 }))
        {
            var (path, usedValues) = operation.Fill(RouteValues, theirs, failures);
            if (path is null)
            {
                continue;
            }

            using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path) { Content = operation.SampleBody(document) };
            using var response = await cluster.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var body = await ReadSomeAsync(response);
            var name = $"{operation.Method} {operation.Template} → {(int)response.StatusCode}";
            if (operation.HasRouteParameters && !operation.Template.Split('/').Where(p => p.StartsWith('{')).All(SharedNames.Contains))
            {
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    failures.Add($"{name}: expected 404 for workspace B's ids: {body} (sent {(request.Content is null ? "no body" : await request.Content.ReadAsStringAsync())})");
                }
                else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !body.Contains("\"code\"", StringComparison.Ordinal))
                {
                    failures.Add($"{name}: the 404 is not a problem with a code: {body}");
                }
            }
            else if ((int)response.StatusCode >= 500 || (operation.Method == "GET" && !response.IsSuccessStatusCode))
            {
                failures.Add($"{name}: {body}");
            }

            foreach (var secret in theirs.Secrets.Except(usedValues))
            {
                if (body.Contains(secret, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{name}: the response shows workspace B's '{secret}'");
                }
            }
        }

        operations.Count(o => o.HasRouteParameters).ShouldBeGreaterThanOrEqualTo(7);
        failures.ShouldBeEmpty();
        (await SnapshotAsync(cluster, bCaller.WorkspaceId)).ShouldBe(before);
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response)
    {
        // An event stream that wrongly opened would never end: read what is there, not to the end.
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var buffer = new byte[64 * 1024];
        var stream = await response.Content.ReadAsStreamAsync(cancel.Token);
        var read = 0;
        try
        {
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancel.Token)) > 0)
            {
                read += n;
            }
        }
        catch (OperationCanceledException)
        {
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>B's rows, per table, as digests: any write to them shows as a changed line.</summary>
    private static async Task<string> SnapshotAsync(TestCluster cluster, Guid workspaceId) =>
        (await cluster.ScalarAsync<string>("""
            SELECT concat_ws(E'\n',
                'workspace ' || (SELECT md5(w::text) FROM workspaces w WHERE w.id = @w),
                'jobs ' || (SELECT md5(coalesce(string_agg(j::text, ',' ORDER BY j.id), '')) FROM jobs j WHERE j.workspace_id = @w),
                'job_events ' || (SELECT count(*) FROM job_events e WHERE e.workspace_id = @w),
                'job_files ' || (SELECT md5(coalesce(string_agg(f::text, ',' ORDER BY f.name), '')) FROM job_files f WHERE f.workspace_id = @w),
                'uploads ' || (SELECT md5(coalesce(string_agg(u::text, ',' ORDER BY u.id), '')) FROM uploads u WHERE u.workspace_id = @w),
                'schedules ' || (SELECT md5(coalesce(string_agg(s::text, ',' ORDER BY s.id), '')) FROM schedules s WHERE s.workspace_id = @w),
                'job_templates ' || (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM job_templates t WHERE t.workspace_id = @w),
                'campaigns ' || (SELECT md5(coalesce(string_agg(c::text, ',' ORDER BY c.id), '')) FROM campaigns c WHERE c.workspace_id = @w),
                'contacts ' || (SELECT md5(coalesce(string_agg(c::text, ',' ORDER BY c.id), '')) FROM contacts c WHERE c.workspace_id = @w),
                'sequences ' || (SELECT md5(coalesce(string_agg(s::text, ',' ORDER BY s.id), '')) FROM sequences s WHERE s.workspace_id = @w),
                'users ' || (SELECT md5(coalesce(string_agg(u::text, ',' ORDER BY u.id), '')) FROM users u WHERE u.workspace_id = @w),
                'api_keys ' || (SELECT md5(coalesce(string_agg(k::text, ',' ORDER BY k.id), '')) FROM api_keys k WHERE k.workspace_id = @w),
                'invitations ' || (SELECT md5(coalesce(string_agg(i::text, ',' ORDER BY i.id), '')) FROM invitations i WHERE i.workspace_id = @w),
                'password_resets ' || (SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r.id), '')) FROM password_resets r WHERE r.workspace_id = @w),
                'audit_events ' || (SELECT count(*) FROM audit_events a WHERE a.workspace_id = @w),
                'webhook_endpoints ' || (SELECT md5(coalesce(string_agg(e::text, ',' ORDER BY e.id), '')) FROM webhook_endpoints e WHERE e.workspace_id = @w),
                'webhook_deliveries ' || (SELECT md5(coalesce(string_agg(d::text, ',' ORDER BY d.id), '')) FROM webhook_deliveries d WHERE d.workspace_id = @w),
                'idempotency_keys ' || (SELECT md5(coalesce(string_agg(i::text, ',' ORDER BY i.key), '')) FROM idempotency_keys i WHERE i.workspace_id = @w),
                'workspace_pauses ' || (SELECT md5(coalesce(string_agg(p::text, ',' ORDER BY p.kind, p.name), '')) FROM workspace_pauses p WHERE p.workspace_id = @w))
            """, ("w", workspaceId)))!;

    /// <summary>Workspace B's rows of every kind a route can name, and the strings that must never reach A.</summary>
    private sealed record TheirData(
        Guid WorkspaceId, Guid UserId, string Email, Guid KeyId, string KeyPrefix, Guid JobId, string FileName,
        Guid CampaignId, string CampaignName, Guid ContactId, string ContactEmail, Guid SequenceId, Guid UploadId, Guid SessionId,
        Guid ScheduleId, string ScheduleName,
        Guid WebhookId, string WebhookUrl, string WebhookSecret, Guid WebhookDeliveryId,
        Guid TemplateId, string TemplateName)
    {
        public IReadOnlyList<string> Secrets =>
        [
            WorkspaceId.ToString(), UserId.ToString(), Email, KeyId.ToString(), KeyPrefix, JobId.ToString(), FileName,
            CampaignId.ToString(), CampaignName, ContactId.ToString(), ContactEmail, SequenceId.ToString(), UploadId.ToString(),
            SessionId.ToString(), ScheduleId.ToString(), ScheduleName,
            WebhookId.ToString(), WebhookUrl, WebhookSecret, WebhookDeliveryId.ToString(),
            TemplateId.ToString(), TemplateName,
        ];

        public static async Task<TheirData> CreateAsync(TestCluster cluster, HttpClient b, Guid workspaceId, Guid userId)
        {
            var jobId = await b.SubmitAsync(new { type = "demo", payload = new { items = 1 } }, idempotencyKey: "b-key");
            var cancelled = await b.SubmitDemoAsync(items: 1);
            (await b.PostAsync($"/api/jobs/{cancelled}/cancel")).Status.ShouldBe(HttpStatusCode.OK);
            const string fileName = "b-private-export.csv";
            await cluster.ScalarAsync<int>("""
                INSERT INTO job_files (job_id, workspace_id, name, content_type, size, content_oid)
                VALUES (@job_id, @w, @name, 'text/csv', 9, lo_from_bytea(0, convert_to('email;b@b', 'UTF8')))
                """, ("job_id", jobId), ("w", workspaceId), ("name", fileName));
            var campaignId = Guid.CreateVersion7();
            const string campaignName = "B's secret campaign";
            await cluster.ScalarAsync<int>("""
                INSERT INTO campaigns (id, workspace_id, job_id, name, business_type, location, max_results, min_confidence, source)
                VALUES (@id, @w, @job_id, @name, 'bakery', 'Lyon', 5, 50, 'simulated')
                """, ("id", campaignId), ("w", workspaceId), ("job_id", jobId), ("name", campaignName));
            const string contactEmail = "b-private-contact@example.com";
            var contactId = (await cluster.InsertContactsAsync(workspaceId, [new ContactsData.NewContact(contactEmail)]))[0];
            var sequenceId = await cluster.InsertSequenceAsync(workspaceId, "B sequence");
            using var upload = await b.PostAsync("/api/uploads?name=b-upload.csv", new StringContent("email\nb@example.com\n", Encoding.UTF8, "text/csv"));
            upload.StatusCode.ShouldBe(HttpStatusCode.Created);
            var uploadId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("uploadId").GetGuid();
            var keyId = await cluster.ScalarAsync<Guid>("SELECT id FROM api_keys WHERE user_id = @u AND kind = 'key'", ("u", userId));
            var prefix = (await cluster.ScalarAsync<string>("SELECT prefix FROM api_keys WHERE id = @id", ("id", keyId)))!;
            var email = (await cluster.ScalarAsync<string>("SELECT email FROM users WHERE id = @u", ("u", userId)))!;
            // A signed-in session of B's user, for the routes that end one.
            await cluster.Api.Services.GetRequiredService<IWorkspaceStore>().SessionCreateAsync(
                new Caller(workspaceId, userId) { Role = "admin" }, TimeSpan.FromHours(1), CancellationToken.None);
            var sessionId = await cluster.ScalarAsync<Guid>("SELECT id FROM api_keys WHERE user_id = @u AND kind = 'session'", ("u", userId));
            // Paused, so that nothing fires while A tries B's schedule.
            const string scheduleName = "B's secret schedule";
            var (scheduled, schedule) = await b.SendJsonAsync(HttpMethod.Post, "/api/schedules",
                new { name = scheduleName, cron = "0 9 * * *", timeZone = "UTC", type = "demo", payload = new { items = 1 }, paused = true });
            scheduled.ShouldBe(HttpStatusCode.Created);
            // A webhook of B's with a finished delivery (succeeded, so that no worker sends it during the walk).
            const string webhookUrl = "https://b-private-hooks.example/in";
            var webhook = await cluster.Api.Services.GetRequiredService<IWebhookStore>().EndpointCreateAsync(new Caller(workspaceId, userId) { Role = "admin" },
                new WebhookEndpointCreateParams(webhookUrl, null, [WebhookEvents.JobCompleted], null), 20, CancellationToken.None);
            var deliveryId = Guid.CreateVersion7();
            await cluster.ScalarAsync<int>("""
                INSERT INTO webhook_deliveries (id, endpoint_id, workspace_id, job_id, event, payload, status, attempts, completed_at)
                VALUES (@id, @e, @w, @job_id, 'job.completed', '{}', 'succeeded', 1, now())
                """, ("id", deliveryId), ("e", webhook.Endpoint.Id), ("w", workspaceId), ("job_id", jobId));
            // Paused in B, as A's pause routes name them (SharedNames).
            (await b.SendJsonAsync(HttpMethod.Put, "/api/pauses/types/demo")).Status.ShouldBe(HttpStatusCode.OK);
            (await b.SendJsonAsync(HttpMethod.Put, "/api/pauses/queues/default")).Status.ShouldBe(HttpStatusCode.OK);
            const string templateName = "B's secret template";
            var (saved, template) = await b.SendJsonAsync(HttpMethod.Post, "/api/templates", new { name = templateName, type = "demo", payload = new { items = 1 } });
            saved.ShouldBe(HttpStatusCode.Created);
            return new TheirData(workspaceId, userId, email, keyId, prefix, jobId, fileName, campaignId, campaignName,
                contactId, contactEmail, sequenceId, uploadId, sessionId, schedule.GetProperty("id").GetGuid(), scheduleName,
                webhook.Endpoint.Id, webhookUrl, webhook.Secret, deliveryId, template.GetProperty("id").GetGuid(), templateName);
        }
    }

    /// <summary>One operation of the OpenAPI document.</summary>
    private sealed record Operation(string Method, string Template, JsonElement Definition)
    {
        public bool HasRouteParameters => Template.Contains('{');

        public static List<Operation> AllOf(JsonElement document) =>
            document.GetProperty("paths").EnumerateObject()
                .SelectMany(path => path.Value.EnumerateObject()
                    .Where(op => op.Name is "get" or "post" or "put" or "patch" or "delete")
                    .Select(op => new Operation(op.Name.ToUpperInvariant(), path.Name, op.Value)))
                .ToList();

        /// <summary>The path with B's ids in its route parameters and the required query parameters filled in.</summary>
        public (string? Path, List<string> Used) Fill(IReadOnlyDictionary<string, Func<TheirData, string>> values, TheirData theirs, List<string> failures)
        {
            var used = new List<string>();
            var segments = Template.Split('/');
            for (var i = 0; i < segments.Length; i++)
            {
                if (!segments[i].StartsWith('{'))
                {
                    continue;
                }

                var key = $"{(i > 0 ? segments[i - 1] : "")}/{segments[i]}";
                if (!values.TryGetValue(key, out var value))
                {
                    failures.Add($"{Method} {Template}: no id of workspace B for route parameter '{key}'; add it to {nameof(RouteValues)}");
                    return (null, used);
                }

                segments[i] = Uri.EscapeDataString(value(theirs));
                used.Add(value(theirs));
            }

            var required = Definition.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query" && p.TryGetProperty("required", out var r) && r.GetBoolean()).ToList()
                : [];
            var query = string.Join("&", required.Select(p => $"{p.GetProperty("name").GetString()}=walk"));
            return (string.Join('/', segments) + (query.Length > 0 ? "?" + query : ""), used);
        }

        /// <summary>A valid-looking body made from the request schema, or null when the operation takes none.</summary>
        public HttpContent? SampleBody(JsonElement document)
        {
            if (!Definition.TryGetProperty("requestBody", out var body) || !body.TryGetProperty("content", out var content))
            {
                return Method is "POST" or "PUT" or "PATCH" ? new StringContent("{}", Encoding.UTF8, "application/json") : null;
            }

            if (!content.TryGetProperty("application/json", out var json))
            {
                var mediaType = content.EnumerateObject().First().Name;
                return new StringContent("email\nwalk@example.com\n", Encoding.UTF8, mediaType.StartsWith("multipart", StringComparison.Ordinal) ? "text/csv" : mediaType);
            }

            var sample = json.TryGetProperty("schema", out var schema) ? Sample(document, schema, null, 0) : new JsonObject();
            return new StringContent(sample?.ToJsonString() ?? "{}", Encoding.UTF8, "application/json");
        }

        private static JsonNode? Sample(JsonElement document, JsonElement schema, string? name, int depth)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                var target = document;
                foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
                {
                    target = target.GetProperty(part);
                }

                schema = target;
            }

            // A nullable body or property is documented as oneOf/anyOf [null, the type]: sample the type.
            foreach (var combinator in new[] { "oneOf", "anyOf" })
            {
                if (schema.TryGetProperty(combinator, out var choices)
                    && choices.EnumerateArray().FirstOrDefault(c => !(c.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")) is { ValueKind: JsonValueKind.Object } choice)
                {
                    return Sample(document, choice, name, depth);
                }
            }

            switch (name?.ToLowerInvariant())
            {
                case "type": return "demo";
                case "payload": return new JsonObject { ["items"] = 1 };
                case "jobs": return new JsonArray(new JsonObject { ["type"] = "demo", ["payload"] = new JsonObject { ["items"] = 1 } });
                case "email": return "walk@test.local";
                case "role": return "member";
                case "idempotencykey": return null;
            }

            var types = schema.TryGetProperty("type", out var type)
                ? type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToArray() : [type.GetString()]
                : schema.TryGetProperty("properties", out _) ? ["object"] : [];
            if (types.Contains("object") && depth < 4)
            {
                var result = new JsonObject();
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        if (Sample(document, property.Value, property.Name, depth + 1) is { } value)
                        {
                            result[property.Name] = value;
                        }
                    }
                }

                return result;
            }

            var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
            return types.FirstOrDefault(t => t != "null") switch
            {
                "string" when format == "uuid" => Guid.CreateVersion7().ToString(),
                "string" when format == "date-time" => DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
                "string" => "walk",
                "integer" or "number" => 1,
                "boolean" => false,
                "array" => new JsonArray(),
                _ => null,
            };
        }
    }
}
