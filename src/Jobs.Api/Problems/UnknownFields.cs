using System.Text.Json;

namespace Jobs.Api.Problems;

/// <summary>
/// Mass assignment: a request body member the endpoint does not define is refused with 400 naming it,
/// never ignored in silence and never applied. Fields the server owns get a message saying so.
/// </summary>
public static class UnknownFields
{
    private static readonly HashSet<string> ServerOwned = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "jobId", "workspaceId", "workspace_id", "workspace", "userId", "user_id", "status", "attempt",
        "leaseOwner", "lease_owner", "leaseExpiresAt", "lease_expires_at", "result", "error", "progress", "stage",
        "version", "sequence", "createdAt", "created_at", "startedAt", "completedAt", "updatedAt", "cancelRequestedAt",
        "hintedAt", "attemptsPerRun", "role", "apiKeyId",
        // A job's schedule, and what a schedule's ticks set.
        "scheduleId", "nextRunAt", "nextRuns", "lastRunAt", "lastJobId", "createdBy",
        // The hint's old name (hinted_at was enqueued_at): a client sending it keeps getting the same answer.
        "enqueuedAt",
    };

    /// <summary>Limits on capacity every workspace shares: only the operator sets them, never a client.</summary>
    private static readonly HashSet<string> OperatorOwned = new(StringComparer.OrdinalIgnoreCase)
    {
        "storageQuotaBytes", "storage_quota_bytes",
    };

    /// <summary>Adds one error per unknown member, at <paramref name="prefix"/> + its name; true when there were none.</summary>
    public static bool Check(IReadOnlyDictionary<string, JsonElement>? unknown, string prefix, IDictionary<string, string[]> errors)
    {
        if (unknown is not { Count: > 0 })
        {
            return true;
        }

        foreach (var name in unknown.Keys)
        {
            errors[prefix + name] = [ServerOwned.Contains(name) ? "is set by the server and cannot be given by a client."
                : OperatorOwned.Contains(name) ? "is set by the operator of this service and cannot be changed through the API."
                : "is not a known field of this request."];
        }

        return false;
    }
}
