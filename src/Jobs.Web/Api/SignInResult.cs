using Jobs.Contracts.Sessions;

namespace Jobs.Web.Api;

/// <summary>
/// What <c>POST /api/sessions</c> answered: a session, a wrong email or password (neither), or too many failed
/// attempts (<see cref="RetryAfterSeconds"/>, the API's <c>sign_in_throttled</c>).
/// </summary>
public sealed record SignInResult(SessionResponse? Session, int? RetryAfterSeconds)
{
    public static SignInResult Wrong { get; } = new(null, null);

    /// <summary>"Too many attempts: try again in N minutes." for the throttled answer, whole minutes rounded up.</summary>
    public static string ThrottledMessage(int retryAfterSeconds)
    {
        var minutes = Math.Max(1, (retryAfterSeconds + 59) / 60);
        return $"Too many attempts: try again in {minutes} {(minutes == 1 ? "minute" : "minutes")}.";
    }
}
