using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Jobs.Testing.Processes;

/// <summary>What scenarios and the soak run ask of a running cluster: its database, its API, and waiting for either.</summary>
public sealed partial class ProcessCluster
{
    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(HarnessConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is DBNull or null ? default : (T)result;
    }

    /// <summary>A superuser (it may read and reset every statistic) with the services' password, for the harness's queries.</summary>
    private async Task<string> CreateHarnessUserAsync(string user)
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseConnectionString);
        await using (var connection = new NpgsqlConnection(DatabaseConnectionString))
        {
            await connection.OpenAsync();
            // CREATE ROLE takes no parameters: the name is quoted as an identifier, the password as a literal.
            var name = "\"" + user.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            var password = "'" + builder.Password!.Replace("'", "''", StringComparison.Ordinal) + "'";
            await using var create = new NpgsqlCommand($"CREATE ROLE {name} LOGIN SUPERUSER PASSWORD {password}", connection);
            await create.ExecuteNonQueryAsync();
        }

        builder.Username = user;
        return builder.ConnectionString;
    }

    /// <summary>
    /// Submits a demo job (as the demo workspace unless <paramref name="client"/> says otherwise) and returns its id;
    /// any answer but 202 (or 200 for a replay) throws with the body.
    /// </summary>
    public async Task<Guid> SubmitDemoAsync(object payload, int? maxAttempts = null, string? idempotencyKey = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
        {
            Content = JsonContent.Create(new { type = "demo", payload, maxAttempts }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await (client ?? Client).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode is not (200 or 202))
        {
            throw new InvalidOperationException($"POST /api/jobs answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetGuid();
    }

    /// <summary>Polls until <paramref name="condition"/> holds; the timeout names what was awaited.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }

    public Task WaitForStatusAsync(Guid jobId, string status, TimeSpan timeout) =>
        WaitUntilAsync(async () => await ScalarAsync<string>("SELECT status FROM jobs WHERE id = @id", ("id", jobId)) == status, $"job {jobId} to be {status}", timeout);

    /// <summary>What every process printed last, for a failure report.</summary>
    public string Tails() => string.Join(Environment.NewLine, new[] { Api }.Concat(Workers).Where(s => s is not null)
        .Select(s => $"--- {s.Name} (pid {s.Id}, exited {s.HasExited}) ---{Environment.NewLine}{s.Tail}"));

    private async Task WaitUntilHealthyAsync(ServiceProcess service)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (service.HasExited)
            {
                throw new InvalidOperationException($"{service.Name} exited with code {service.ExitCode} while starting:{Environment.NewLine}{service.Tail}");
            }

            try
            {
                using var response = await http.GetAsync($"{service.Url}/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"{service.Name} not healthy within {StartTimeout.TotalSeconds:0} s:{Environment.NewLine}{service.Tail}");
            }

            await Task.Delay(200);
        }
    }

    private async Task WaitUntilRegisteredAsync(ServiceProcess worker)
    {
        var clock = Stopwatch.StartNew();
        var pattern = $"%-{worker.Id}-%";
        while (await ScalarAsync<long>("SELECT count(*) FROM workers WHERE id LIKE @p", ("p", pattern)) == 0)
        {
            if (worker.HasExited)
            {
                throw new InvalidOperationException($"{worker.Name} exited with code {worker.ExitCode} while starting:{Environment.NewLine}{worker.Tail}");
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"{worker.Name} did not register within {StartTimeout.TotalSeconds:0} s:{Environment.NewLine}{worker.Tail}");
            }

            await Task.Delay(100);
        }
    }

    private HttpClient ClientWithKey(string apiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(ApiUrl), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }
}
