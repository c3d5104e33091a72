using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Contracts.Templates;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// <c>/api/templates</c> over HTTP: the round trip of a template, a job submitted from it, unique names, who may delete,
/// and bad input answered with problem details naming the field, never a 500.
/// </summary>
public sealed class TemplatesApiTests(Servers servers)
{
    [Fact]
    public async Task A_template_round_trip_and_a_job_submitted_from_it()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = cluster.Client;

        var (created, body) = await client.SendJsonAsync(HttpMethod.Post, "/api/templates",
            new { name = " nightly demo ", type = "demo", payload = new { items = 3 }, priority = 7, maxAttempts = 2 });

        created.ShouldBe(HttpStatusCode.Created);
        var template = body.Deserialize<TemplateResponse>(JsonSerializerOptions.Web).ShouldNotBeNull();
        var id = template.Id;
        (template.Name, template.Type, template.Priority, template.MaxAttempts).ShouldBe(("nightly demo", "demo", 7, 2));
        // Left out: the job type's default when a job starts, not a copy of today's default.
        template.TimeoutSeconds.ShouldBeNull();
        template.Links.Self.ShouldBe($"/api/templates/{id}");
        var got = (await client.GetFromJsonAsync<TemplateResponse>($"/api/templates/{id}"))!;
        got.Payload.GetProperty("items").GetInt32().ShouldBe(3);
        (await client.GetFromJsonAsync<TemplateListResponse>("/api/templates"))!.Items.ShouldHaveSingleItem().Id.ShouldBe(id);

        // Starting from a template is an ordinary submit of its fields.
        var jobId = await client.SubmitAsync(new { got.Type, got.Payload, got.Priority, got.MaxAttempts });
        var job = await client.GetJobAsync(jobId);
        (job.Priority, job.MaxAttempts).ShouldBe((7, 2));

        (await client.SendJsonAsync(HttpMethod.Delete, $"/api/templates/{id}")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.SendJsonAsync(HttpMethod.Get, $"/api/templates/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await client.SendJsonAsync(HttpMethod.Delete, $"/api/templates/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_name_is_unique_in_a_workspace_and_only_the_creator_or_an_admin_deletes()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (member, _, _) = await cluster.AddUserAsync(cluster.Client, "member");
        var adminsId = await CreateAsync(cluster.Client, "admin's");
        var membersId = await CreateAsync(member, "member's");

        var (duplicate, problem) = await member.SendJsonAsync(HttpMethod.Post, "/api/templates", Body("admin's"));
        duplicate.ShouldBe(HttpStatusCode.Conflict);
        (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()).ShouldBe(("template_name_taken", "name"));

        var (forbidden, refusal) = await member.SendJsonAsync(HttpMethod.Delete, $"/api/templates/{adminsId}");
        forbidden.ShouldBe(HttpStatusCode.Forbidden);
        refusal.GetProperty("code").GetString().ShouldBe("forbidden");
        (await member.SendJsonAsync(HttpMethod.Delete, $"/api/templates/{membersId}")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await cluster.Client.SendJsonAsync(HttpMethod.Delete, $"/api/templates/{adminsId}")).Status.ShouldBe(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData("""{"type":"no.such.type"}""", "type", "'no.such.type' is not a known job type.")]
    [InlineData("""{"type":null}""", "type", "is required.")]
    [InlineData("""{"payload":{"items":"many"}}""", "payload.items", "must be an integer, not a string.")]
    [InlineData("""{"payload":[1]}""", "payload", "must be a JSON object.")]
    [InlineData("""{"priority":1000}""", "priority", "must be between -100 and 100.")]
    [InlineData("""{"maxAttempts":0}""", "maxAttempts", "must be between 1 and 25.")]
    [InlineData("""{"timeoutSeconds":-1}""", "timeoutSeconds", "must be between 1 and")]
    [InlineData("""{"name":"  "}""", "name", "is required.")]
    [InlineData("""{"name":"a\u0007b"}""", "name", "must be 1 to 100 printable characters.")]
    [InlineData("""{"runAt":"2030-01-01T00:00:00Z"}""", "runAt", "is not a known field of this request.")]
    [InlineData("""{"workspaceId":"x"}""", "workspaceId", "is set by the server and cannot be given by a client.")]
    public async Task Bad_input_answers_a_validation_problem_naming_the_field(string change, string field, string message)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/templates", JsonBodies.With(Body("bad"), change));

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.GetProperty("errors").GetProperty(field)[0].GetString().ShouldNotBeNull().ShouldStartWith(message);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM job_templates")).ShouldBe(0);
    }

    [Fact]
    public async Task Bad_ids_bodies_and_queries_answer_problems()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        foreach (var path in new[] { "/api/templates/not-a-guid", $"/api/templates/{Guid.NewGuid()}" })
        {
            var (status, problem) = await cluster.Client.SendJsonAsync(HttpMethod.Get, path);
            status.ShouldBe(HttpStatusCode.NotFound);
            problem.GetProperty("code").GetString().ShouldBe("template_not_found");
        }

        (await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/templates", "null")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/templates", "{not json")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/templates?limit=0")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/templates?cursor=nope")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static object Body(string name) => new { name, type = "demo", payload = new { items = 1 } };

    private static async Task<Guid> CreateAsync(HttpClient client, string name)
    {
        var (status, template) = await client.SendJsonAsync(HttpMethod.Post, "/api/templates", Body(name));
        status.ShouldBe(HttpStatusCode.Created);
        return template.GetProperty("id").GetGuid();
    }
}
