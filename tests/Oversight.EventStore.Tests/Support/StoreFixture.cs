using Npgsql;
using Oversight.EventStore.Serialization;

[assembly: AssemblyFixture(typeof(Oversight.Testing.PostgresServer))]

namespace Oversight.EventStore.Tests.Support;

/// <summary>A migrated store in a schema of its own, with a clock the test moves.</summary>
public sealed class StoreFixture(PostgresServer server) : IAsyncLifetime
{
    public string Schema { get; } = $"s_{Guid.NewGuid():N}"[..20];
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public EventStore Store { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        DataSource = EventStoreServiceCollectionExtensions.CreateDataSource(server.ConnectionString);
        Store = CreateStore(TestEvents.Registry());
        await Store.MigrateAsync();
    }

    public EventStore CreateStore(EventTypeRegistry registry) =>
        new(DataSource, registry, new EventStoreOptions { Schema = Schema }, Clock);

    public async Task<long> CountEventsAsync(string? streamId = null)
    {
        await using var command = DataSource.CreateCommand(
            $"SELECT count(*) FROM \"{Schema}\".events WHERE $1::text IS NULL OR stream_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)streamId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql.Replace("{schema}", $"\"{Schema}\"", StringComparison.Ordinal));
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync();
}
