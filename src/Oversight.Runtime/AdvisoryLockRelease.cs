using Npgsql;

namespace Oversight.Runtime;

/// <summary>
/// Releases the session-level advisory locks of a pooled connection before it returns to the pool, where
/// they would otherwise stay held by an idle session. A broken connection is discarded by Npgsql, not pooled,
/// and its session's locks end with it.
/// </summary>
internal sealed class AdvisoryLockRelease(NpgsqlConnection connection) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        if (connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // Already broken: the session (and its locks) is gone or going.
        }
    }
}
