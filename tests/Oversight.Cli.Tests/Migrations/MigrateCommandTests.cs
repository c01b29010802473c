using System.Diagnostics;
using Npgsql;

namespace Oversight.Cli.Tests.Migrations;

/// <summary><c>oversight migrate</c> as operators run it: two processes at once both succeed and leave one complete schema: ours, Marten's and Wolverine's.</summary>
public sealed class MigrateCommandTests(PostgresServer server)
{
    /// <summary>The statistics projection's revocations table at the version this build runs.</summary>
    private static readonly string StatisticsRevocationsTable =
        Oversight.Persistence.Projections.ProjectionTables.VersionedName("stat_revocations", new Oversight.ReadModels.Statistics.StatisticsProjection().Version);

    private static readonly string RiskFlagsTable =
        Oversight.Persistence.Projections.ProjectionTables.VersionedName("risk_flags", new Oversight.ReadModels.Risk.RiskProjection(new()).Version);

    [Fact]
    public async Task Two_processes_migrating_at_once_both_succeed_and_the_schema_is_complete()
    {
        var schema = $"mig_{Guid.NewGuid():N}"[..20];
        var cli = Path.Combine(AppContext.BaseDirectory, "oversight.dll");
        Assert.True(File.Exists(cli), $"CLI not built beside the tests: {cli}");

        var processes = Enumerable.Range(0, 2).Select(_ => Process.Start(new ProcessStartInfo("dotnet", [cli, "migrate"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__Oversight"] = server.ConnectionString,
                ["Runtime__EventSchema"] = schema,
                ["Runtime__ReadModelSchema"] = $"{schema}_rm",
            },
        })!).ToArray();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        foreach (var process in processes)
        {
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"migrate exited {process.ExitCode}: {await stderr}");
            process.Dispose();
        }

        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        await using var command = dataSource.CreateCommand(
            "SELECT string_agg(table_schema || '.' || table_name, ',' ORDER BY 1) FROM information_schema.tables WHERE table_schema IN ($1, $2) " +
            "AND table_name IN ('mt_events', 'mt_streams', 'api_idempotency', 'api_unique_numbers', 'followup_deadlines', $3, 'public_sanctions', $4, " +
            "'mt_doc_envelope', 'wolverine_incoming_envelopes', 'wolverine_outgoing_envelopes', 'wolverine_dead_letters', 'wolverine_nodes')");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{schema}_rm" });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StatisticsRevocationsTable });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RiskFlagsTable });
        var tables = ((string)(await command.ExecuteScalarAsync())!).Split(',');
        Assert.Equal(13, tables.Length); // ours, Marten's (incl. Wolverine's integration document) and Wolverine's
    }

    [Fact]
    public async Task Migrate_with_reference_data_records_the_shipped_memoranda_once()
    {
        var schema = $"ref_{Guid.NewGuid():N}"[..20];
        var first = await Support.CliProcess.RunAsync(server.ConnectionString, schema, "migrate", "--reference-data");
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains($"of {Oversight.ReadModels.ReferenceData.MocReferenceData.All.Select(m => m.Country).Distinct().Count()} countries recorded", first.Out, StringComparison.Ordinal);
        var again = await Support.CliProcess.RunAsync(server.ConnectionString, schema, "migrate", "--reference-data");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("of 0 countries recorded", again.Out, StringComparison.Ordinal);

        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM \"{schema}\".mt_events WHERE type = 'MocSigned.v1'");
        Assert.Equal((long)Oversight.ReadModels.ReferenceData.MocReferenceData.All.Count, await command.ExecuteScalarAsync());
    }
}
