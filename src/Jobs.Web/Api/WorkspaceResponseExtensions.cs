using Jobs.Contracts.Keys;
using Jobs.Contracts.Workspaces;

namespace Jobs.Web.Api;

/// <summary>What the settings pages read off the workspace and its keys beyond the API's records.</summary>
public static class WorkspaceResponseExtensions
{
    extension(WorkspaceResponse workspace)
    {
        public bool CallerIsAdmin => workspace.Role == Auth.SessionClaims.AdminRole;

        /// <summary>Every slot taken: a pending job that is due waits for one of the running jobs to finish.</summary>
        public bool AtConcurrencyLimit => workspace.Usage.Processing >= workspace.Limits.MaxConcurrentJobs;
    }

    extension(KeyResponse key)
    {
        public bool IsRevoked => key.RevokedAt is not null;

        /// <summary>How the list shows a key: its prefix and an ellipsis for the secret part, e.g. <c>jobs_1a2b3c4…</c>.</summary>
        public string Display => key.Prefix is { Length: > 0 } ? $"{key.Prefix}…" : "(created before prefixes were kept)";
    }
}
