using Npgsql;
using Oversight.EventStore.Migrations;
using Oversight.EventStore.Tests.Support;

namespace Oversight.EventStore.Tests.Migrations;

public sealed class MigrationTests(PostgresServer server)
{
    private static string NewSchema() => $"m_{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Eight_concurrent_migrations_in_one_process_apply_each_script_once()
    {
        var schema = NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        var store = new EventStore(dataSource, TestEvents.Registry(), new EventStoreOptions { Schema = schema }, TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.MigrateAsync()));
        await store.MigrateAsync();

        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM \"{schema}\".schema_migrations");
        Assert.Equal(SchemaMigrator.EmbeddedScripts(typeof(EventStore).Assembly, "Migrations.Scripts").Count, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_script_changed_after_it_was_applied_is_refused()
    {
        var schema = NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        Migration[] v1 = [new(1, "0001_one", "CREATE TABLE {schema}.one (id int);")];
        Migration[] edited = [new(1, "0001_one", "CREATE TABLE {schema}.one (id bigint);")];
        Migration[] v2 = [.. v1, new(2, "0002_two", "CREATE TABLE {schema}.two (id int);")];

        Assert.Equal(1, await SchemaMigrator.MigrateAsync(dataSource, schema, "component", v1));
        Assert.Equal(1, await SchemaMigrator.MigrateAsync(dataSource, schema, "component", v2));
        Assert.Equal(0, await SchemaMigrator.MigrateAsync(dataSource, schema, "component", v2));
        await Assert.ThrowsAsync<InvalidOperationException>(() => SchemaMigrator.MigrateAsync(dataSource, schema, "component", edited));
    }
}
