using Jobs.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>Jobs.Client's <see cref="JobsClient"/> on a test cluster, as a team's service or a test's own handler makes it.</summary>
public static class TypedClients
{
    /// <summary>The client as a service registers it outside Aspire, for the cluster's own workspace.</summary>
    public static JobsClient Of(TestCluster cluster, WatchTransport transport = WatchTransport.Auto) =>
        new ServiceCollection().AddJobsClient(cluster.Client.BaseAddress!, KeyOf(cluster), transport).BuildServiceProvider()
            .GetRequiredService<JobsClient>();

    /// <summary>A client whose requests go through <paramref name="handler"/> (which sees, changes or cuts them) to the cluster.</summary>
    public static JobsClient Through(TestCluster cluster, DelegatingHandler handler, WatchTransport transport, Func<CancellationToken, ValueTask<string>>? key = null)
    {
        handler.InnerHandler ??= new SocketsHttpHandler();
        var http = new HttpClient(handler) { BaseAddress = cluster.Client.BaseAddress };
        var fixedKey = KeyOf(cluster);
        return new JobsClient(http, key ?? (_ => ValueTask.FromResult(fixedKey))) { Transport = transport };
    }

    public static string KeyOf(TestCluster cluster) => cluster.Client.DefaultRequestHeaders.GetValues(JobsClient.ApiKeyHeader).Single();
}
