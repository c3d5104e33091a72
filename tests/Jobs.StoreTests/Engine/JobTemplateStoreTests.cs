using System.Text.Json;
using Jobs.Core.Engine.Templates;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// Job templates (docs/design.md, "Templates"): stored as given, their names unique per workspace, and every read and
/// delete scoped to the workspace.
/// </summary>
public sealed class JobTemplateStoreTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_template_keeps_its_fields_and_its_name_is_unique_in_the_workspace()
    {
        var db = postgres.Shared;
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();

        var template = (await db.Templates.TemplateCreateAsync(ws.Id, ws.UserId, Definition("weekly export", maxAttempts: 3), Ct)).ShouldNotBeNull();

        template.UserId.ShouldBe(ws.UserId);
        template.Definition.Type.ShouldBe("report");
        template.Definition.Payload.GetProperty("format").GetString().ShouldBe("csv");
        (template.Definition.Priority, template.Definition.MaxAttempts, template.Definition.TimeoutSeconds).ShouldBe(((short)5, 3, (int?)null));
        (await db.Templates.TemplateCreateAsync(ws.Id, ws.UserId, Definition("weekly export"), Ct)).ShouldBeNull();
        (await db.Templates.TemplateCreateAsync(other.Id, other.UserId, Definition("weekly export"), Ct)).ShouldNotBeNull();
        (await db.Templates.TemplateGetAsync(ws.Id, template.Id, Ct)).ShouldNotBeNull().Definition.Name.ShouldBe("weekly export");
    }

    [Fact]
    public async Task Another_workspaces_template_is_neither_read_nor_deleted()
    {
        var db = postgres.Shared;
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        var template = (await db.Templates.TemplateCreateAsync(ws.Id, ws.UserId, Definition("mine"), Ct)).ShouldNotBeNull();

        (await db.Templates.TemplateGetAsync(other.Id, template.Id, Ct)).ShouldBeNull();
        (await db.Templates.TemplateListAsync(other.Id, 10, null, Ct)).Items.ShouldBeEmpty();
        (await db.Templates.TemplateDeleteAsync(other.Id, template.Id, Ct)).ShouldBeFalse();
        (await db.Templates.TemplateDeleteAsync(ws.Id, template.Id, Ct)).ShouldBeTrue();
        (await db.Templates.TemplateGetAsync(ws.Id, template.Id, Ct)).ShouldBeNull();
        (await db.Templates.TemplateDeleteAsync(ws.Id, template.Id, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task The_list_pages_newest_first()
    {
        var db = postgres.Shared;
        var ws = await db.NewWorkspaceAsync();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await db.Templates.TemplateCreateAsync(ws.Id, ws.UserId, Definition(name), Ct);
            // The list is in id order, and a version 7 id orders by the millisecond only: two templates saved within
            // one millisecond list in either order.
            await Task.Delay(5);
        }

        var first = await db.Templates.TemplateListAsync(ws.Id, 2, null, Ct);
        first.Items.Select(t => t.Definition.Name).ShouldBe(["c", "b"]);
        var second = await db.Templates.TemplateListAsync(ws.Id, 2, first.NextCursor.ShouldNotBeNull(), Ct);
        second.Items.Select(t => t.Definition.Name).ShouldBe(["a"]);
        second.NextCursor.ShouldBeNull();
    }

    private static JobTemplateDefinition Definition(string name, int? maxAttempts = null) =>
        new(name, "report", JsonSerializer.SerializeToElement(new { format = "csv" }), 5, maxAttempts, null);
}
