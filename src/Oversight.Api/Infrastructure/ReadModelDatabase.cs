using Npgsql;

namespace Oversight.Api.Infrastructure;

/// <summary>
/// Where read-model queries (statistics, risk, public register) go: a read replica when
/// <c>ConnectionStrings:OversightReadModels</c> is set, else the primary. Writes, histories (read from the
/// store itself) and <c>minPosition</c> waits always use the primary; on a replica a read may trail that
/// position by the replication lag.
/// </summary>
internal sealed class ReadModelDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    private readonly bool _owned;

    private ReadModelDatabase(NpgsqlDataSource dataSource, bool owned) : this(dataSource) => _owned = owned;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public static ReadModelDatabase Create(IConfiguration configuration, NpgsqlDataSource primary)
    {
        var replica = configuration.GetConnectionString("OversightReadModels");
        return string.IsNullOrWhiteSpace(replica)
            ? new ReadModelDatabase(primary, owned: false)
            : new ReadModelDatabase(NpgsqlDataSource.Create(replica), owned: true);
    }

    public ValueTask DisposeAsync() => _owned ? DataSource.DisposeAsync() : ValueTask.CompletedTask;
}
