using System.Net;
using Microsoft.AspNetCore.Builder;
using Npgsql;

namespace Oversight.Api.Tests.Operations;

/// <summary>
/// Outside Development the API changes no schema unless configured to (<c>Runtime:ApplySchemaAtStart</c>); <c>oversight migrate</c>
/// does. A node started on a database nobody migrated creates nothing and starts once it has been migrated.
/// </summary>
public sealed class SchemaAtStartTests
{
    [Theory]
    [InlineData("Production", "False")]
    [InlineData("Staging", "False")]
    [InlineData("Development", "True")]
    public void The_shipped_settings_apply_the_schema_only_in_Development(string environment, string expected)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = ApiProjectDirectory() });
        Assert.Equal(expected, builder.Configuration["Runtime:ApplySchemaAtStart"], ignoreCase: true);
    }

    [Fact]
    public async Task A_node_told_not_to_apply_the_schema_creates_nothing_and_waits_until_it_is_migrated()
    {
        await using var api = new ApiFactory { Settings = new Dictionary<string, string> { ["Runtime:ApplySchemaAtStart"] = "false" } };
        // The host starts (and answers) only once its schema is there: it keeps looking instead of failing.
        var starting = api.InitializeAsync().AsTask();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(starting.IsCompleted, starting.Exception?.ToString() ?? "started on a database nobody migrated");
        Assert.Equal(0L, await RelationsAsync(api.ConnectionString));

        // What `oversight migrate` does, from another host on the same database: the waiting node then starts by itself.
        await using (var migrator = new ApiFactory { Database = api.Database, OwnsDatabase = false, Settings = new Dictionary<string, string> { ["Runtime:RunProjections"] = "false" } })
            await migrator.InitializeAsync();
        Assert.True(await RelationsAsync(api.ConnectionString) > 0);
        await starting.WaitAsync(TimeSpan.FromSeconds(30));
        using var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    private static async Task<long> RelationsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND c.relkind IN ('r', 'S', 'v', 'i')", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string ApiProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OversightBackend.sln"))) return Path.Combine(dir.FullName, "src", "Oversight.Api");
        throw new InvalidOperationException("OversightBackend.sln not found above the test binary.");
    }
}
