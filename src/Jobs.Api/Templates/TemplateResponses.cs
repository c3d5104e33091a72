using Jobs.Contracts.Templates;
using Jobs.Core.Engine.Templates;

namespace Jobs.Api.Templates;

/// <summary>How the API shows a template row: the contract record made from the engine's.</summary>
public static class TemplateResponses
{
    extension(TemplateResponse)
    {
        public static TemplateResponse From(JobTemplate template)
        {
            var d = template.Definition;
            return new TemplateResponse(
                template.Id, d.Name, d.Type, d.Payload, d.Priority, d.MaxAttempts, d.TimeoutSeconds, template.UserId, template.CreatedAt,
                new TemplateLinks($"/api/templates/{template.Id}"));
        }
    }
}
