namespace Jobs.Worker.Integrations.Email;

/// <summary>Finds a business's email address from its website's domain. Implementations: Hunter.io and a simulation (the default).</summary>
public interface IEmailFinder
{
    /// <summary>What results are labelled with: <c>simulated</c>, or the real provider's name.</summary>
    string Source { get; }

    /// <param name="domain">The website's domain, such as <c>oakwood-plumbers.com</c>.</param>
    /// <param name="companyName">The business's name, for providers that use it to pick among addresses.</param>
    Task<EmailFinding> FindAsync(string domain, string companyName, CancellationToken cancellationToken);
}
