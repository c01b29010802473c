using System.Net.Sockets;
using Npgsql;

namespace Oversight.Persistence;

/// <summary>
/// Which failures mean "the database is away for now" (a restart, a failover, a dropped connection, too many connections)
/// rather than a fault in what was asked of it. One answer for the API (503 instead of 500) and the daemon's recovery.
/// </summary>
public static class DatabaseUnavailability
{
    /// <summary>SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 57P (shutdown: a restart or failover
    /// ends sessions with 57P01, which Npgsql does not call transient).</summary>
    public static bool IsUnavailableState(string sqlState)
    {
        ArgumentNullException.ThrowIfNull(sqlState);
        return sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal)
            || sqlState.StartsWith("57P", StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="exception"/> or one it wraps is such a failure.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException p:
                    return IsUnavailableState(p.SqlState);
                case NpgsqlException n when n.IsTransient:
                case SocketException or IOException or TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
