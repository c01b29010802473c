using System.Net;
using System.Text.Json;
using Npgsql;

namespace Oversight.Api.Tests.Health;

public sealed class HealthTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Live_answers_without_a_token_and_ready_turns_true_once_the_schema_is_migrated()
    {
        using var client = factory.CreateClient();

        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        HttpResponseMessage ready;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((ready = await client.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("application/problem+json", ready.Content.Headers.ContentType?.MediaType);
            await Task.Delay(100, timeout.Token);
        }
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());

        // Migrated on start: the store's tables exist in the configured schema.
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE (table_schema, table_name) IN " +
            "(('oversight', 'mt_events'), ('oversight', 'api_idempotency'), ('oversight', 'followup_deadlines'), ('readmodels', $1))", connection);
        command.Parameters.Add(new NpgsqlParameter<string>
        {
            TypedValue = Oversight.Persistence.Projections.ProjectionTables.VersionedName("stat_revocations", new Oversight.ReadModels.Statistics.StatisticsProjection().Version),
        });
        Assert.Equal(4L, (long)(await command.ExecuteScalarAsync())!);
    }
}
