using Jobs.Worker.Integrations.Simulation;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Integrations.Email;

/// <summary>
/// Verdicts in NeverBounce's proportions for business addresses, the same for the same address every time: about 70 %
/// valid, 20 % catch-all or unknown (risky), 10 % invalid. Every check is billed, as NeverBounce bills them.
/// </summary>
internal sealed class SimulatedEmailVerifier(IOptions<SimulationOptions> simulation, IOptions<IntegrationPrices> prices, TimeProvider time)
    : IEmailVerifier
{
    public string Source => IntegrationProvider.Simulated;

    public async Task<EmailVerification> VerifyAsync(string email, CancellationToken cancellationToken)
    {
        var random = SimulatedRandom.For("email-verifier", email);
        await SimulatedDelay.WaitAsync(random.Latency(simulation.Value.EmailVerifierLatency), time, cancellationToken);
        var (status, result) = random.NextDouble() switch
        {
            < 0.70 => (EmailStatus.Deliverable, "valid"),
            < 0.82 => (EmailStatus.Risky, "catchall"),
            < 0.90 => (EmailStatus.Risky, "unknown"),
            _ => (EmailStatus.Undeliverable, "invalid"),
        };
        return new EmailVerification(status, result, prices.Value.EmailVerifier);
    }
}
