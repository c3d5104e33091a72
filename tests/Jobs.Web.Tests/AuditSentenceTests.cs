using System.Text.Json;
using Jobs.Contracts.Audit;
using Jobs.Web.Components.Display;

namespace Jobs.Web.Tests;

/// <summary>Webhook and pause entries of the audit trail read as sentences; the platform's disabling names no person.</summary>
public sealed class AuditSentenceTests
{
    private static readonly AuditParty Admin = new(Guid.NewGuid(), "ada@example.com", null);

    [Theory]
    [InlineData("webhook.created", "ada@example.com added the webhook https://hooks.example/in")]
    [InlineData("webhook.secret_rotated", "ada@example.com rotated the signing secret of the webhook https://hooks.example/in")]
    [InlineData("webhook.deleted", "ada@example.com deleted the webhook https://hooks.example/in")]
    public void AnAdminsChange_NamesTheAdminAndTheUrl(string action, string sentence) =>
        AuditSentence.Of(Entry(action, Admin, """{"webhookId":"x","url":"https://hooks.example/in"}""")).ShouldBe(sentence);

    [Theory]
    [InlineData("queue.paused", "ada@example.com paused the queue default")]
    [InlineData("queue.resumed", "ada@example.com resumed the queue default")]
    [InlineData("job_type.paused", "ada@example.com paused the job type default")]
    [InlineData("job_type.resumed", "ada@example.com resumed the job type default")]
    public void APauseOrResume_NamesTheAdminAndWhat(string action, string sentence) =>
        AuditSentence.Of(Entry(action, Admin, """{"name":"default"}""")).ShouldBe(sentence);

    [Fact]
    public void ThePlatformsDisabling_SaysWhy() =>
        AuditSentence.Of(Entry("webhook.disabled", null, """{"url":"https://hooks.example/in","reason":"The endpoint answered 410 Gone."}"""))
            .ShouldBe("Jobs disabled the webhook https://hooks.example/in: The endpoint answered 410 Gone.");

    private static AuditEventResponse Entry(string action, AuditParty? actor, string details) =>
        new(1, action, actor, null, JsonDocument.Parse(details).RootElement.Clone(), DateTimeOffset.UtcNow);
}
