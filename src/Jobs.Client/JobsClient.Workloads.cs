using Jobs.Contracts.Campaigns;
using Jobs.Contracts.Contacts;

namespace Jobs.Client;

/// <summary>
/// What the shipped job types keep (docs/design.md, "Workloads"): contacts, the sequences they are subscribed to, and
/// lead discovery's campaigns.
/// </summary>
public sealed partial class JobsClient
{
    /// <summary>One page of the contacts <paramref name="query"/> selects.</summary>
    public Task<ContactListResponse> ListContactsAsync(ContactQuery query, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        ReadAsync<ContactListResponse>(WithQuery("api/contacts",
            ("tag", NonEmpty(query.Tag)), ("search", NonEmpty(query.Search)), ("optedOut", query.OptedOut), ("doNotContact", query.DoNotContact),
            ("sort", NonEmpty(query.Sort)), ("limit", limit), ("cursor", cursor)), cancellationToken);

    /// <summary>How many contacts match, and the ids of the newest <paramref name="limit"/> of them (0 to 1,000; 1,000 when null).</summary>
    public Task<ContactIdsResponse> ListContactIdsAsync(ContactQuery query, int? limit = null, CancellationToken cancellationToken = default) =>
        ReadAsync<ContactIdsResponse>(WithQuery("api/contacts/ids",
            ("tag", NonEmpty(query.Tag)), ("search", NonEmpty(query.Search)), ("optedOut", query.OptedOut), ("doNotContact", query.DoNotContact),
            ("limit", limit)), cancellationToken);

    /// <summary>The sequences contacts can be subscribed to, with how many are enrolled in each.</summary>
    public Task<SequenceListResponse> ListSequencesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<SequenceListResponse>("api/sequences", cancellationToken);

    /// <summary>One page of lead discovery's campaigns, newest first.</summary>
    public Task<CampaignListResponse> ListCampaignsAsync(int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        ReadAsync<CampaignListResponse>(WithQuery("api/campaigns", ("limit", limit), ("cursor", cursor)), cancellationToken);

    /// <returns>The campaign with its leads, or null when the workspace has no such campaign.</returns>
    public Task<CampaignResponse?> GetCampaignAsync(Guid id, CancellationToken cancellationToken = default) =>
        OrNullAsync(ReadAsync<CampaignResponse>($"api/campaigns/{id}", cancellationToken));

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
