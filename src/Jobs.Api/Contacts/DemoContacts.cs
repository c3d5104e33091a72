using Jobs.Core.Workloads.Contacts;

namespace Jobs.Api.Contacts;

/// <summary>
/// Demo data for the contact jobs: a few sequences and <c>count</c> contacts with deterministic names and emails
/// (<c>first.last.n@example.com</c>), some opted out (every 23rd), some do-not-contact (every 37th), some tagged
/// (customer, newsletter, vip, lead) and some enrolled already (every 10th in Welcome, every 25th in Onboarding), so
/// that subscribing shows every kind of outcome. Idempotent and quick (one round trip): what exists is left as it
/// is, so changes made through the jobs survive a restart, and only contacts that were missing are tagged and enrolled.
/// The statement is the store's (<see cref="IContactStore.DemoSeedAsync"/>).
/// </summary>
public static class DemoContacts
{
    public const int DefaultCount = 5000;

    public static IReadOnlyList<string> SequenceNames { get; } = ["Welcome", "Onboarding", "Re-engagement"];

    /// <summary>Seeds the workspace with its sequences and <paramref name="count"/> contacts.</summary>
    public static Task SeedAsync(IContactStore store, Guid workspaceId, int count, CancellationToken cancellationToken) =>
        store.DemoSeedAsync(workspaceId, SequenceNames, count, cancellationToken);
}
