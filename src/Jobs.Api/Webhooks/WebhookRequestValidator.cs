using Jobs.Contracts.Webhooks;
using Jobs.Core.Webhooks;

namespace Jobs.Api.Webhooks;

/// <summary>
/// Checks an endpoint's fields as an admin gives them, with one error per field that names the reason. The URL must
/// be http(s) and its host must resolve to addresses the operator allows (<see cref="WebhookAddressPolicy"/>); the
/// workers check the address again at every send.
/// </summary>
public sealed class WebhookRequestValidator(WebhookAddressPolicy addresses)
{
    public const int MaxUrlLength = 2000;
    public const int MaxDescriptionLength = 500;
    public const int MaxJobTypes = 50;
    public const int MaxJobTypeLength = 200;

    /// <summary>Validated fields: null when not given (the create path requires url and events itself).</summary>
    public sealed record Fields(string? Url, IReadOnlyList<string>? Events, IReadOnlyList<string>? JobTypes, string? Description);

    public async Task<Fields> ValidateAsync(
        string? url, IReadOnlyList<string>? events, IReadOnlyList<string>? jobTypes, string? description, bool creating,
        Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        url = url?.Trim();
        if (url is not null || creating)
        {
            await CheckUrlAsync(url, errors, cancellationToken);
        }

        List<string>? eventList = null;
        if (events is not null || creating)
        {
            eventList = events?.Distinct(StringComparer.Ordinal).ToList();
            if (eventList is not { Count: > 0 })
            {
                errors["events"] = [$"must name at least one of {string.Join(", ", WebhookEvents.All)}."];
            }
            else if (eventList.FirstOrDefault(e => !WebhookEvents.IsValid(e)) is { } unknown)
            {
                errors["events"] = [$"'{Shorten(unknown)}' is not an event; use {string.Join(", ", WebhookEvents.All)}."];
            }
        }

        List<string>? typeList = null;
        if (jobTypes is not null)
        {
            typeList = jobTypes.Select(t => t?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
            if (typeList.Count > MaxJobTypes)
            {
                errors["jobTypes"] = [$"must name at most {MaxJobTypes} job types."];
            }
            else if (typeList.Any(t => t.Length is 0 or > MaxJobTypeLength))
            {
                errors["jobTypes"] = [$"each job type must be 1 to {MaxJobTypeLength} characters."];
            }
        }

        description = description?.Trim();
        if (description?.Length > MaxDescriptionLength)
        {
            errors["description"] = [$"must be at most {MaxDescriptionLength} characters."];
        }

        return new Fields(url, eventList, typeList, description);
    }

    private async Task CheckUrlAsync(string? url, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(url))
        {
            errors["url"] = ["is required."];
            return;
        }

        if (url.Length > MaxUrlLength)
        {
            errors["url"] = [$"must be at most {MaxUrlLength} characters."];
            return;
        }

        if (WebhookAddressPolicy.FormRefusal(url, out var uri) is { } refusal)
        {
            errors["url"] = [refusal];
            return;
        }

        try
        {
            await addresses.ResolveAsync(uri!.IdnHost, cancellationToken);
        }
        catch (WebhookAddressRefusedException ex)
        {
            errors["url"] = [ex.Message];
        }
    }

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
