namespace Oversight.Runtime;

internal static class Delays
{
    /// <summary>Waits, returning early (without throwing) when the loop is being stopped.</summary>
    public static async Task QuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Database outages and failovers: wait and retry, never dead-letter because of them.</summary>
    public static bool IsTransient(Exception e) =>
        e is Npgsql.NpgsqlException { IsTransient: true } or TimeoutException or IOException
        || e is Npgsql.NpgsqlException and not Npgsql.PostgresException;
}
