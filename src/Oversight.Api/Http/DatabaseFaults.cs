namespace Oversight.Api.Http;

/// <summary>
/// Faults that mean "the database is away for now" (a restart, a failover, a dropped connection, too many connections):
/// the request is answered 503 with <c>Retry-After</c>, never 500. Nothing partial was stored — the command's transaction
/// did not commit, or it did and a retry under the same <c>Idempotency-Key</c> gets the first response back.
/// </summary>
internal static class DatabaseFaults
{
    /// <summary>Seconds a client should wait before trying again.</summary>
    public const int RetryAfterSeconds = 2;

    public static bool IsUnavailable(Exception exception) =>
        exception is ConnectionLostException || Persistence.DatabaseUnavailability.IsUnavailable(exception);

    public static void SetRetryAfter(HttpResponse response) =>
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A command failed after its connection broke (the server went away mid-transaction): whatever the library reported on
    /// the dead connection — e.g. a retry on a transaction that is already completed — the cause is the database.
    /// </summary>
    public sealed class ConnectionLostException(Exception inner) : Exception("The database connection was lost while the command ran.", inner);
}
