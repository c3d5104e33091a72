using Jobs.Worker.Integrations.Simulation;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Integrations.Email;

/// <summary>
/// Finds an address for about four domains in five, the same one every time for the same domain: a role address
/// (info@, contact@…) or a person's, with a confidence of 45–99. Like Hunter, a search that finds nothing is free.
/// </summary>
internal sealed class SimulatedEmailFinder(IOptions<SimulationOptions> simulation, IOptions<IntegrationPrices> prices, TimeProvider time)
    : IEmailFinder
{
    private static readonly string[] RoleMailboxes = ["info", "contact", "hello", "office", "team", "sales", "bookings"];
    private static readonly string[] FirstNames = ["maria", "james", "linh", "priya", "david", "sofia", "ahmed", "emma", "kenji", "grace"];

    public string Source => IntegrationProvider.Simulated;

    public async Task<EmailFinding> FindAsync(string domain, string companyName, CancellationToken cancellationToken)
    {
        var random = SimulatedRandom.For("email-finder", domain);
        await SimulatedDelay.WaitAsync(random.Latency(simulation.Value.EmailFinderLatency), time, cancellationToken);
        if (!random.Chance(0.8))
        {
            return new EmailFinding(null, null, 0m);
        }

        var mailbox = random.Chance(0.3) ? random.Pick(FirstNames) : random.Pick(RoleMailboxes);
        return new EmailFinding($"{mailbox}@{domain.Trim().ToLowerInvariant()}", random.Next(45, 100), prices.Value.EmailFinder);
    }
}
