using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Workloads.Contacts;

/// <summary>
/// Which contacts of a workspace a list, its ids or an export take. Every filter is optional; they combine with AND.
/// <see cref="Tag"/> is compared as stored (trimmed, lower case); <see cref="Search"/> matches anywhere in the email,
/// first name, last name, full name or company, without regard to case. The contact listing and the export snapshot
/// both select with <see cref="Sql"/>, so they always agree on which contacts match.
/// </summary>
public sealed record ContactMatch(string? Tag = null, bool? OptedOut = null, bool? DoNotContact = null, string? Search = null)
{
    /// <summary>The condition on <c>contacts c</c>; its parameters are bound by <see cref="Bind"/>.</summary>
    public const string Sql = """
        c.workspace_id = @workspace_id
          AND (@tag::text IS NULL OR EXISTS (
                  SELECT 1
                  FROM contact_tags t
                  WHERE t.contact_id = c.id
                    AND t.tag = @tag))
          AND (@opted_out::boolean IS NULL OR c.opted_out = @opted_out)
          AND (@do_not_contact::boolean IS NULL OR c.do_not_contact = @do_not_contact)
          AND (@search::text IS NULL
               OR c.email ILIKE @search
               OR c.first_name ILIKE @search
               OR c.last_name ILIKE @search
               OR concat_ws(' ', c.first_name, c.last_name) ILIKE @search
               OR c.company ILIKE @search)
        """;

    /// <summary>Binds <see cref="Sql"/>'s parameters: the workspace and each filter, NULL where not given.</summary>
    public void Bind(NpgsqlParameterCollection parameters, Guid workspaceId)
    {
        parameters.AddWithValue("workspace_id", workspaceId);
        parameters.Add(Nullable("tag", NpgsqlDbType.Text, Tag));
        parameters.Add(Nullable("opted_out", NpgsqlDbType.Boolean, OptedOut));
        parameters.Add(Nullable("do_not_contact", NpgsqlDbType.Boolean, DoNotContact));
        parameters.Add(Nullable("search", NpgsqlDbType.Text, ContainsPattern(Search)));
    }

    /// <summary>An ILIKE pattern that finds <paramref name="search"/> anywhere, its own wildcards taken literally.</summary>
    public static string? ContainsPattern(string? search) =>
        string.IsNullOrWhiteSpace(search)
            ? null
            : "%" + search.Trim().Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";

    internal static NpgsqlParameter Nullable(string name, NpgsqlDbType type, object? value) =>
        new(name, type) { Value = value ?? DBNull.Value };
}
