using System.Net;
using Microsoft.AspNetCore.Builder;
using Npgsql;
using Oversight.Api.Tests.Support;

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
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = Repository.PathTo("src", "Oversight.Api") });
        Assert.Equal(expected, builder.Configuration["Runtime:ApplySchemaAtStart"], ignoreCase: true);
    }

    [Fact]
    public async Task A_node_told_not_to_apply_the_schema_creates_nothing_and_waits_until_it_is_migrated()
    {
        await using var api = new ApiFactory { Settings = new Dictionary<string, string> { ["Runtime:ApplySchemaAtStart"] = "false" } };
        // The host starts (and listens) only once its schema is there: it keeps looking instead of failing.
        var starting = api.InitializeAsync().AsTask();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(starting.IsCompleted, starting.Exception?.ToString() ?? "started on a database nobody migrated");
        Assert.Equal(0L, await RelationsAsync(api.ConnectionString));

        // `oversight migrate` (the CLI process an operator runs): the waiting node then starts by itself.
        var (exitCode, output, error) = await OversightCli.RunAsync(new Dictionary<string, string?> { ["ConnectionStrings__Oversight"] = api.ConnectionString }, "migrate");
        Assert.True(exitCode == 0, $"migrate exited {exitCode}: {error}{output}");
        Assert.True(await RelationsAsync(api.ConnectionString) > 0);
        await starting.WaitAsync(TimeSpan.FromSeconds(60));
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
}
