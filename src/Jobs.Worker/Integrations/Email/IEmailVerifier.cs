namespace Jobs.Worker.Integrations.Email;

/// <summary>Tells whether mail to an address would be delivered. Implementations: NeverBounce and a simulation (the default).</summary>
public interface IEmailVerifier
{
    /// <summary>What results are labelled with: <c>simulated</c>, or the real provider's name.</summary>
    string Source { get; }

    Task<EmailVerification> VerifyAsync(string email, CancellationToken cancellationToken);
}
