namespace Jobs.Web.Api;

/// <summary>
/// The API answered 401: the session's key expired or was revoked. <see cref="SessionJobsClient"/> has already sent the
/// browser to sign-in when this is thrown; callers only need to stop.
/// </summary>
public sealed class SessionExpiredException() : Exception("The session expired; signing in again.");
