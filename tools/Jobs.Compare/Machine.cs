using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Jobs.Testing.Processes;
using StackExchange.Redis;

namespace Jobs.Compare;

/// <summary>What the figures were measured on: they compare only with figures from the same machine and run.</summary>
public static class Machine
{
    public static async Task<JsonObject> DescribeAsync(ProcessCluster cluster)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString + ",allowAdmin=true");
        var info = await redis.GetServers()[0].InfoAsync("server");
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        return new JsonObject
        {
            ["cores"] = Environment.ProcessorCount,
            ["cpu"] = cpu,
            ["memoryGiB"] = Math.Round(long.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1048576.0, 1),
            ["loadAverage"] = File.ReadAllText("/proc/loadavg").Trim(),
            ["os"] = RuntimeInformation.OSDescription,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["node"] = Run("node", "--version"),
            ["postgres"] = await cluster.ScalarAsync<string>("SHOW server_version"),
            ["redis"] = info.SelectMany(g => g).FirstOrDefault(kv => kv.Key == "redis_version").Value,
        };
    }

    private static string? Run(string file, string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true })!;
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return text;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
