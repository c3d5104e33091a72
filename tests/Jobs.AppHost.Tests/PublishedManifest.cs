using System.Text.Json;
using Jobs.Testing;

namespace Jobs.AppHost.Tests;

/// <summary>The manifest the built AppHost publishes (<c>--publisher manifest</c>), as an operator generates it.</summary>
public static class PublishedManifest
{
    /// <returns>The manifest's root element, detached from its document.</returns>
    public static async Task<JsonElement> GenerateAsync(string directory)
    {
        var manifest = Path.Combine(directory, "aspire-manifest.json");
        await using var host = AppHostProcess.Start(
            new Dictionary<string, string> { ["JOBS_DATA_DIR"] = Path.Combine(directory, "data") },
            ["--publisher", "manifest", "--output-path", manifest],
            onLine: null);
        (await host.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBeTrue(host.Tail);
        host.ExitCode.ShouldBe(0, host.Tail);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
        return document.RootElement.Clone();
    }
}
