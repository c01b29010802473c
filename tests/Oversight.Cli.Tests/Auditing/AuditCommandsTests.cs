using System.Globalization;
using Npgsql;
using Oversight.Cli.Tests.Support;

namespace Oversight.Cli.Tests.Auditing;

/// <summary>
/// <c>oversight stats</c>, <c>history</c> and <c>verify</c> as an analyst or auditor runs them on a seeded store: the figures are
/// the events', a history is the organization's events in global order (as of a business date too), and verification names
/// the event an SQL edit altered.
/// </summary>
public sealed class AuditCommandsTests(PostgresServer server)
{
    [Fact]
    public async Task Stats_history_and_verify_answer_from_the_seeded_store_and_verify_names_an_edited_event()
    {
        var schema = $"a_{Guid.NewGuid():N}"[..16];
        await RunAsync(schema, 0, "seed", "--profile", "fy2022", "--scale", "0.01", "--seed", "42");

        // Statistics: revocations by fiscal year add up to the revocation events in the store.
        var stats = Csv(await RunAsync(schema, 0, "stats", "revocations", "--group-by", "fiscalYear", "--format", "csv"));
        Assert.Equal(["fiscalYear", "count", "plansRevoked"], stats[0]);
        var revocations = await ScalarAsync(
            $"SELECT count(*) FROM \"{schema}\".mt_events WHERE type IN ('PermitRevoked.v1', 'PlanAccreditationRevoked.v1')");
        Assert.True(revocations > 0);
        Assert.Equal(revocations, stats.Skip(1).Sum(row => long.Parse(row[1], CultureInfo.InvariantCulture)));

        // History: every event of the organization's own stream, in global order; as of a date, nothing later.
        var stream = (string)(await QueryAsync(
            $"SELECT stream_id FROM \"{schema}\".mt_events WHERE stream_id LIKE 'so-%' GROUP BY stream_id ORDER BY count(*) DESC, stream_id LIMIT 1"))!;
        var organization = stream["so-".Length..];
        var history = Csv(await RunAsync(schema, 0, "history", organization, "--format", "csv"));
        Assert.Equal("position", history[0][0]);
        var positions = history.Skip(1).Select(row => long.Parse(row[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(await ScalarAsync($"SELECT count(*) FROM \"{schema}\".mt_events WHERE stream_id = $1", stream),
            history.Count(row => row[1] == stream));
        var firstDate = history[1][4];
        var asOf = Csv(await RunAsync(schema, 0, "history", organization, "--as-of", firstDate, "--format", "csv"));
        Assert.InRange(asOf.Count - 1, 1, history.Count - 2);
        Assert.All(asOf.Skip(1), row => Assert.True(string.CompareOrdinal(row[4], firstDate) <= 0, $"{row[4]} after {firstDate}"));

        // Verification: the chains hold; an edit of one stored event in SQL is named, stream and version.
        Assert.Contains("every hash chain holds", await RunAsync(schema, 0, "verify", "--stream", stream), StringComparison.Ordinal);
        await QueryAsync($"UPDATE \"{schema}\".mt_events SET data = data || '{{\"name\": \"Someone else\"}}' WHERE stream_id = $1 AND version = 1", stream);
        var named = await RunAsync(schema, 1, "verify", "--stream", stream);
        Assert.Contains($"{stream}: first invalid version 1", named, StringComparison.Ordinal);
        var all = await RunAsync(schema, 1, "verify", "--all");
        Assert.Contains($"{stream}: first invalid version 1", all, StringComparison.Ordinal);
        Assert.Contains("1 of ", all, StringComparison.Ordinal);
    }

    private async Task<string> RunAsync(string schema, int expectedExit, params string[] arguments)
    {
        var (exitCode, output, error) = await CliProcess.RunAsync(server.ConnectionString, schema, arguments);
        Assert.True(exitCode == expectedExit, $"{string.Join(' ', arguments)} exited {exitCode}: {error}{output}");
        return output;
    }

    /// <summary>The CLI's CSV split on commas: the columns read here come before the history's data column, the only one holding commas.</summary>
    private static List<string[]> Csv(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => line.Split(','))];

    private async Task<long> ScalarAsync(string sql, params string[] parameters) => Convert.ToInt64(await QueryAsync(sql, parameters), CultureInfo.InvariantCulture);

    /// <summary>One statement on the test database; the schema (a test-made identifier) is written into it, values are parameters.</summary>
    private async Task<object?> QueryAsync(string sql, params string[] parameters)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        return await command.ExecuteScalarAsync();
    }
}
