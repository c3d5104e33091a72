using System.ComponentModel.DataAnnotations;

namespace Jobs.Api.Sessions;

/// <summary>
/// Section <c>Api:SignInThrottle</c>: how many failed password checks each budget allows per <see cref="Window"/>
/// (<see cref="SignInThrottle"/>). Only failures count; a right password costs nothing.
/// </summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "Api:SignInThrottle";

    /// <summary>The sliding window every budget counts over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures for one email from one client address (on a device not known for that email).</summary>
    [Range(1, 10_000)]
    public int FailuresPerAccountAndAddress { get; set; } = 5;

    /// <summary>Failures from one client address across every email: password spraying from one place.</summary>
    [Range(1, 100_000)]
    public int FailuresPerAddress { get; set; } = 50;

    /// <summary>
    /// Failures for one email across every address: guessing one password from many places. It does not apply to a
    /// device known for that email, so an attacker who spends it does not lock the owner out.
    /// </summary>
    [Range(1, 100_000)]
    public int FailuresPerAccount { get; set; } = 20;

    /// <summary>
    /// How long a device token stays known without a sign-in on it; every sign-in with it renews it. The web keeps it in
    /// a cookie that lives as long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan DeviceTokenLifetime { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Failures on one known device (a device token for the email), or one signed-in person changing their password.</summary>
    [Range(1, 10_000)]
    public int FailuresPerDevice { get; set; } = 10;
}
