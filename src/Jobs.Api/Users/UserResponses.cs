using Jobs.Contracts.Users;
using Jobs.Core.Identity;

namespace Jobs.Api.Users;

/// <summary>How the API shows users and their sessions: the contract records made from the store's.</summary>
public static class UserResponses
{
    extension(UserResponse)
    {
        public static UserResponse From(WorkspaceUser user) =>
            new(user.Id, user.Email, user.DisplayName, user.Role, user.CreatedAt, user.InvitationPending);
    }

    extension(UserSessionResponse)
    {
        public static UserSessionResponse From(UserSession session) =>
            new(session.Id, session.Prefix, session.CreatedAt, session.LastUsedAt, session.ExpiresAt);
    }
}
