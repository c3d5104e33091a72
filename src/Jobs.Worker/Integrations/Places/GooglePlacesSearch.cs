using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Integrations.Places;

/// <summary>
/// Google Places API (New): Text Search (<c>POST /v1/places:searchText</c>) and Place Details
/// (<c>GET /v1/places/{id}</c>), authenticated by <c>X-Goog-Api-Key</c>, with an <c>X-Goog-FieldMask</c> that asks for
/// the fields we use and no more (the mask also decides the billed SKU).
/// </summary>
internal sealed class GooglePlacesSearch(IHttpClientFactory httpClientFactory, IOptions<PlacesOptions> options, IOptions<IntegrationPrices> prices)
    : IPlacesSearch
{
    public const string HttpClientName = "google-places";
    public const string ApiKeyHeader = "X-Goog-Api-Key";
    public const string FieldMaskHeader = "X-Goog-FieldMask";

    /// <summary>The most places one Text Search page returns.</summary>
    public const int MaxPageSize = 20;

    public const string SearchFieldMask = "places.id,places.displayName,places.formattedAddress,nextPageToken";
    public const string DetailsFieldMask = "id,nationalPhoneNumber,websiteUri,rating,userRatingCount,regularOpeningHours,businessStatus";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Source => PlacesOptions.Google;

    public async Task<PlaceSearchResult> SearchTextAsync(PlaceQuery query, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var places = new List<PlaceSummary>();
        string? pageToken = null;
        var requests = 0;
        do
        {
            var body = new SearchTextRequest(query.Text, Math.Min(MaxPageSize, query.MaxResults - places.Count), pageToken);
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/places:searchText") { Content = JsonContent.Create(body, options: Json) };
            Authorize(request, SearchFieldMask);
            using var response = await client.SendAsync(request, cancellationToken);
            requests++;
            await IntegrationHttp.EnsureSuccessAsync(response, "Google Places text search", PlacesOptions.Section, cancellationToken);
            var page = await response.Content.ReadFromJsonAsync<SearchTextResponse>(Json, cancellationToken);
            foreach (var place in page?.Places ?? [])
            {
                if (place.Id is { Length: > 0 } id && places.All(p => p.PlaceId != id))
                {
                    places.Add(new PlaceSummary(id, place.DisplayName?.Text ?? id, place.FormattedAddress));
                }
            }

            pageToken = page?.NextPageToken is { Length: > 0 } next ? next : null;
        }
        while (pageToken is not null && places.Count < query.MaxResults);

        return new PlaceSearchResult(places.Take(query.MaxResults).ToList(), requests, requests * prices.Value.PlacesTextSearch);
    }

    public async Task<PlaceDetails> GetDetailsAsync(string placeId, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/places/{Uri.EscapeDataString(placeId)}");
        Authorize(request, DetailsFieldMask);
        using var response = await client.SendAsync(request, cancellationToken);
        await IntegrationHttp.EnsureSuccessAsync(response, "Google Place Details", PlacesOptions.Section, cancellationToken);
        var place = await response.Content.ReadFromJsonAsync<Place>(Json, cancellationToken)
            ?? throw new HttpRequestException($"Google Place Details answered an empty body for {placeId}.");
        return new PlaceDetails(
            placeId,
            NullIfEmpty(place.NationalPhoneNumber),
            NullIfEmpty(place.WebsiteUri),
            place.Rating,
            place.UserRatingCount,
            place.RegularOpeningHours is not null,
            place.BusinessStatus,
            prices.Value.PlacesDetails);
    }

    private void Authorize(HttpRequestMessage request, string fieldMask)
    {
        request.Headers.Add(ApiKeyHeader, options.Value.ApiKey);
        request.Headers.Add(FieldMaskHeader, fieldMask);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private sealed record SearchTextRequest(string TextQuery, int PageSize, string? PageToken);

    private sealed record SearchTextResponse(IReadOnlyList<Place>? Places, string? NextPageToken);

    private sealed record LocalizedText(string? Text, string? LanguageCode);

    private sealed record Place(
        string? Id,
        LocalizedText? DisplayName,
        string? FormattedAddress,
        string? NationalPhoneNumber,
        string? WebsiteUri,
        double? Rating,
        int? UserRatingCount,
        JsonElement? RegularOpeningHours,
        string? BusinessStatus);
}
