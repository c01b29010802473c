using Npgsql;

namespace Oversight.Testing;

/// <summary>
/// The private PostgreSQL started by infra/postgres.sh (or any server in ConnectionStrings__Oversight).
/// Each test run gets its own database; each test class its own schema in it, so nothing is shared.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Oversight")
        ?? "Host=127.0.0.1;Port=55432;Username=oversight;Password=oversight;Database=oversight";

    public string DatabaseName { get; } = $"oversight_test_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        await using (var command = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", admin)) await command.ExecuteNonQueryAsync();
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = DatabaseName }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", admin);
        await command.ExecuteNonQueryAsync();
    }
}
