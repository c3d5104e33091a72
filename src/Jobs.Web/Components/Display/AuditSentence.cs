using System.Globalization;
using System.Text.Json;
using Jobs.Contracts.Audit;
using Jobs.Web.Api;

namespace Jobs.Web.Components.Display;

/// <summary>An audit entry as a sentence a person reads: who did what to whom.</summary>
public static class AuditSentence
{
    public static string Of(AuditEventResponse e)
    {
        var actor = e.Actor?.Email ?? "Someone";
        var target = e.Target?.Email ?? "a user";
        return e.Action switch
        {
            "user.invited" when Bool(e, "again") => $"{actor} made a new invitation link for {target} ({Text(e, "role")})",
            "user.invited" => $"{actor} invited {target} as {Text(e, "role")}",
            "invitation.accepted" => $"{target} joined as {Text(e, "role")}",
            "invitation.cancelled" => $"{actor} cancelled the invitation of {target}",
            "user.role_changed" => $"{actor} changed the role of {target} from {Text(e, "from")} to {Text(e, "to")}",
            "user.removed" => $"{actor} removed {target}; {Plural(Number(e, "revokedKeys"), "key or session", "keys and sessions")} revoked",
            "user.sessions_revoked" => $"{actor} ended {Plural(Number(e, "sessions"), "session", "sessions")} of {target}",
            "password.changed" => $"{target} changed their password",
            "password.reset_issued" => $"{actor} made a password reset link for {target}",
            "password.reset" => $"{target} set a new password with a reset link",
            "api_key.created" => $"{actor} created the API key “{Text(e, "name")}” ({Text(e, "prefix")}…)",
            "api_key.revoked" => $"{actor} revoked the API key “{Text(e, "name")}” ({Text(e, "prefix")}…)",
            "webhook.created" => $"{actor} added the webhook {Text(e, "url")}",
            "webhook.updated" => $"{actor} changed the webhook {Text(e, "url")}",
            "webhook.deleted" => $"{actor} deleted the webhook {Text(e, "url")}",
            "webhook.secret_rotated" => $"{actor} rotated the signing secret of the webhook {Text(e, "url")}",
            "webhook.disabled" => $"Jobs disabled the webhook {Text(e, "url")}: {Text(e, "reason")}",
            "queue.paused" => $"{actor} paused the queue {Text(e, "name")}",
            "queue.resumed" => $"{actor} resumed the queue {Text(e, "name")}",
            "job_type.paused" => $"{actor} paused the job type {Text(e, "name")}",
            "job_type.resumed" => $"{actor} resumed the job type {Text(e, "name")}",
            _ => $"{actor}: {e.Action} {target}",
        };
    }

    private static string Text(AuditEventResponse e, string name) =>
        e.Details.ValueKind == JsonValueKind.Object && e.Details.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : "?";

    private static bool Bool(AuditEventResponse e, string name) =>
        e.Details.ValueKind == JsonValueKind.Object && e.Details.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static long Number(AuditEventResponse e, string name) =>
        e.Details.ValueKind == JsonValueKind.Object && e.Details.TryGetProperty(name, out var value) && value.TryGetInt64(out var n) ? n : 0;

    private static string Plural(long n, string one, string many) => n == 1 ? $"1 {one}" : $"{n.ToString(CultureInfo.InvariantCulture)} {many}";
}
