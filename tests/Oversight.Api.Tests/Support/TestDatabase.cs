using Npgsql;

namespace Oversight.Api.Tests.Support;

/// <summary>A database of its own on the test server, for API processes started by a test; dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static string Server => Environment.GetEnvironmentVariable("ConnectionStrings__Oversight")
        ?? "Host=127.0.0.1;Port=55432;Username=oversight;Password=oversight;Database=oversight";

    private readonly string _name = $"oversight_ops_{Guid.NewGuid():N}"[..30];

    private TestDatabase() { }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(Server) { Database = _name }.ConnectionString;

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase();
        await using var admin = new NpgsqlConnection(Server);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database._name}\"", admin);
        await command.ExecuteNonQueryAsync();
        return database;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<string> TextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Server);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", admin);
        await command.ExecuteNonQueryAsync();
    }
}
