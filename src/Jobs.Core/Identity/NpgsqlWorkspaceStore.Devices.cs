namespace Jobs.Core.Identity;

/// <summary>Device tokens of sign-in (migration 0015): issued to an email, checked against it, renewed when used.</summary>
public sealed partial class NpgsqlWorkspaceStore
{
    private const string SignInDeviceCheckSql = """
        SELECT EXISTS (
            SELECT 1
            FROM sign_in_devices
            WHERE token_hash = @token_hash
              AND email = lower(@email)
              AND expires_at > now()
        )
        """;

    private const string SignInDeviceRenewSql = """
        UPDATE sign_in_devices
        SET expires_at = now() + @lifetime
        WHERE token_hash = @token_hash
          AND email = lower(@email)
          AND expires_at > now()
        """;

    // A few expired rows go with each new one, so the table holds about the devices in use without a sweeper.
    private const string SignInDeviceIssueSql = """
        WITH expired AS (
            DELETE FROM sign_in_devices
            WHERE token_hash IN (SELECT token_hash FROM sign_in_devices WHERE expires_at <= now() LIMIT 100)
        )
        INSERT INTO sign_in_devices (token_hash, email, expires_at)
        VALUES (@token_hash, lower(@email), now() + @lifetime)
        """;

    public async Task<bool> SignInDeviceCheckAsync(string deviceToken, string email, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SignInDeviceCheckSql);
        command.Parameters.AddWithValue("token_hash", ApiKeyHasher.Hash(deviceToken));
        command.Parameters.AddWithValue("email", email);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public async Task<string> SignInDeviceIssueAsync(string email, string? renew, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (renew is not null)
        {
            await using var update = dataSource.CreateCommand(SignInDeviceRenewSql);
            update.Parameters.AddWithValue("token_hash", ApiKeyHasher.Hash(renew));
            update.Parameters.AddWithValue("email", email);
            update.Parameters.AddWithValue("lifetime", lifetime);
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return renew;
            }
        }

        var token = ApiKeyHasher.NewDeviceToken();
        await using var insert = dataSource.CreateCommand(SignInDeviceIssueSql);
        insert.Parameters.AddWithValue("token_hash", ApiKeyHasher.Hash(token));
        insert.Parameters.AddWithValue("email", email);
        insert.Parameters.AddWithValue("lifetime", lifetime);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return token;
    }
}
