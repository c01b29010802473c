using Npgsql;

namespace Oversight.Persistence;

/// <summary>
/// The write path's connections: a pool of their own whose few hot statements (the idempotency lookup, Marten's stream
/// read and append) Npgsql prepares once they have run a few times. Readers keep a pool without automatic preparation:
/// their queries vary with filters, and prepared they read a 5,000-event history 25 % slower (ADR 12).
/// </summary>
public sealed class WriteDataSource(NpgsqlDataSource source) : IAsyncDisposable
{
    public NpgsqlDataSource Source => source;

    public static WriteDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        return new WriteDataSource(builder.Build());
    }

    public ValueTask DisposeAsync() => source.DisposeAsync();
}
