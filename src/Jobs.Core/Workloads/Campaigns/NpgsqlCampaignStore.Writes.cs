using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Workloads.Campaigns;

/// <summary><see cref="NpgsqlCampaignStore"/>'s write of a campaign and its leads, in the caller's (fenced) transaction.</summary>
public sealed partial class NpgsqlCampaignStore
{
    private const string CampaignUpsertSql = """
        INSERT INTO campaigns (id, workspace_id, job_id, name, business_type, location, max_results, min_confidence, source, stats)
        VALUES (@id, @workspace_id, @job_id, @name, @business_type, @location, @max_results, @min_confidence, @source, @stats)
        ON CONFLICT (job_id) DO UPDATE
        SET name = excluded.name,
            business_type = excluded.business_type,
            location = excluded.location,
            max_results = excluded.max_results,
            min_confidence = excluded.min_confidence,
            source = excluded.source,
            stats = excluded.stats,
            updated_at = now()
        RETURNING id
        """;

    private const string LeadDeleteOthersSql = """
        DELETE FROM leads
        WHERE campaign_id = @campaign_id
          AND place_id <> ALL(@place_ids)
        """;

    private const string LeadUpsertSql = """
        INSERT INTO leads (id, campaign_id, workspace_id, place_id, rank, business_name, address, phone, website, rating,
                           reviews_count, has_opening_hours, business_status, confidence, email, email_confidence,
                           email_status, cost, source)
        VALUES (@id, @campaign_id, @workspace_id, @place_id, @rank, @business_name, @address, @phone, @website, @rating,
                @reviews_count, @has_opening_hours, @business_status, @confidence, @email, @email_confidence,
                @email_status, @cost, @source)
        ON CONFLICT (campaign_id, place_id) DO UPDATE
        SET rank = excluded.rank,
            business_name = excluded.business_name,
            address = excluded.address,
            phone = excluded.phone,
            website = excluded.website,
            rating = excluded.rating,
            reviews_count = excluded.reviews_count,
            has_opening_hours = excluded.has_opening_hours,
            business_status = excluded.business_status,
            confidence = excluded.confidence,
            email = excluded.email,
            email_confidence = excluded.email_confidence,
            email_status = excluded.email_status,
            cost = excluded.cost,
            source = excluded.source,
            updated_at = now()
        """;

    public async Task<Guid> CampaignUpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CampaignUpsertParams campaign, CancellationToken cancellationToken)
    {
        Guid campaignId;
        await using (var command = new NpgsqlCommand(CampaignUpsertSql, connection, transaction))
        {
            command.Parameters.AddWithValue("id", Guid.CreateVersion7());
            command.Parameters.AddWithValue("workspace_id", campaign.WorkspaceId);
            command.Parameters.AddWithValue("job_id", campaign.Lease.JobId);
            command.Parameters.AddWithValue("name", campaign.Name);
            command.Parameters.AddWithValue("business_type", campaign.BusinessType);
            command.Parameters.AddWithValue("location", campaign.Location);
            command.Parameters.AddWithValue("max_results", campaign.MaxResults);
            command.Parameters.AddWithValue("min_confidence", (short)campaign.MinConfidence);
            command.Parameters.AddWithValue("source", campaign.Source);
            command.Parameters.Add(new NpgsqlParameter("stats", NpgsqlDbType.Jsonb) { Value = campaign.Stats.GetRawText() });
            campaignId = (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        await using (var command = new NpgsqlCommand(LeadDeleteOthersSql, connection, transaction))
        {
            command.Parameters.AddWithValue("campaign_id", campaignId);
            command.Parameters.AddWithValue("place_ids", campaign.Leads.Select(l => l.PlaceId).ToArray());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (campaign.Leads.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var lead in campaign.Leads)
            {
                batch.BatchCommands.Add(LeadUpsert(campaignId, campaign.WorkspaceId, lead));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        return campaignId;
    }

    private static NpgsqlBatchCommand LeadUpsert(Guid campaignId, Guid workspaceId, LeadUpsertParams lead)
    {
        var command = new NpgsqlBatchCommand(LeadUpsertSql);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("campaign_id", campaignId);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("place_id", lead.PlaceId);
        command.Parameters.AddWithValue("rank", lead.Rank);
        command.Parameters.AddWithValue("business_name", lead.BusinessName);
        command.Parameters.Add(Nullable("address", NpgsqlDbType.Text, lead.Address));
        command.Parameters.Add(Nullable("phone", NpgsqlDbType.Text, lead.Phone));
        command.Parameters.Add(Nullable("website", NpgsqlDbType.Text, lead.Website));
        command.Parameters.Add(Nullable("rating", NpgsqlDbType.Numeric, lead.Rating is { } rating ? (decimal)rating : null));
        command.Parameters.Add(Nullable("reviews_count", NpgsqlDbType.Integer, lead.ReviewsCount));
        command.Parameters.AddWithValue("has_opening_hours", lead.HasOpeningHours);
        command.Parameters.Add(Nullable("business_status", NpgsqlDbType.Text, lead.BusinessStatus));
        command.Parameters.AddWithValue("confidence", (short)lead.Confidence);
        command.Parameters.Add(Nullable("email", NpgsqlDbType.Text, lead.Email));
        command.Parameters.Add(Nullable("email_confidence", NpgsqlDbType.Smallint, lead.EmailConfidence is { } c ? (short)c : null));
        command.Parameters.Add(Nullable("email_status", NpgsqlDbType.Text, lead.EmailStatus));
        command.Parameters.AddWithValue("cost", lead.Cost);
        command.Parameters.AddWithValue("source", lead.Source);
        return command;
    }

    private static NpgsqlParameter Nullable(string name, NpgsqlDbType type, object? value) =>
        new(name, type) { Value = value ?? DBNull.Value };
}
