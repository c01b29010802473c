using System.CommandLine;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Oversight.ReadModels.Storage;
using Spectre.Console;

namespace Oversight.Cli.Commands;

/// <summary><c>oversight projections status | rebuild &lt;name&gt;</c>, on Marten's async daemon (ADR 8).</summary>
internal static class ProjectionsCommand
{
    public static Command Create()
    {
        var statusFormat = StatsCommand.Format();
        var status = new Command("status", "Each projection's version, position, the head of the event log, the lag in events, and why it is paused if it is.")
            { statusFormat };
        status.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Load());
            var options = services.GetRequiredService<StorageOptions>();
            var catalog = services.GetRequiredService<ReadModelCatalog>();
            var rows = new List<IReadOnlyList<object?>>();
            await using var command = services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
                $"""
                SELECT p.name, coalesce(x.last_seq_id, 0), h.head, coalesce(x.agent_status, ''), coalesce(x.pause_reason, '')
                  FROM unnest($1::text[], $2::text[]) AS p(name, progression)
                  LEFT JOIN "{options.EventSchema}".mt_event_progression x ON x.name = p.progression
                 CROSS JOIN (SELECT coalesce(max(seq_id), 0) AS head FROM "{options.EventSchema}".mt_events) h
                """);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. catalog.Projections.Select(p => p.Name)] });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. catalog.Projections.Select(p => catalog.ProgressionName(p.Name))] });
            await using (var reader = await command.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                    rows.Add([reader.GetString(0), catalog[reader.GetString(0)].Version, reader.GetInt64(1), reader.GetInt64(2),
                        reader.GetInt64(2) - reader.GetInt64(1), reader.GetString(3), reader.GetString(4)]);
            await Output.WriteAsync(parse.GetValue(statusFormat)!, ["projection", "version", "position", "head", "lag (events)", "status", "paused because"], rows);
            if (parse.GetValue(statusFormat) == "table")
            {
                // Follow-up messages Wolverine gave up on count toward readiness too (Health:MaxDeadLetters).
                var table = $"\"{options.EventSchema}\".wolverine_dead_letters";
                var dataSource = services.GetRequiredService<NpgsqlDataSource>();
                await using var exists = dataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
                exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
                if (await exists.ExecuteScalarAsync(ct) is true)
                {
                    await using var letters = dataSource.CreateCommand($"SELECT count(*) FROM {table}");
                    AnsiConsole.MarkupLine($"Dead letters (follow-up messages): {await letters.ExecuteScalarAsync(ct)} (oversight dead-letters list)");
                }
            }
            return 0;
        });

        var name = new Argument<string>("name") { Description = "Projection name (see status)." };
        var rebuild = new Command("rebuild", "Rebuild a projection from the first event with Marten's daemon (its tables are emptied first).") { name };
        rebuild.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Load());
            var store = services.GetRequiredService<IDocumentStore>();
            var projection = parse.GetValue(name)!;
            using var daemon = await store.BuildProjectionDaemonAsync();
            await AnsiConsole.Status().StartAsync($"Rebuilding {Markup.Escape(projection)}…", _ => daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(30), ct));
            AnsiConsole.MarkupLine($"[green]Rebuilt {Markup.Escape(projection)}.[/]");
            return 0;
        });

        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be dropped; drop nothing." };
        var retireFormat = StatsCommand.Format();
        var retire = new Command("retire",
            "After a blue/green switch, once no node runs an earlier version of a read model: drop that version's tables and progression row.")
            { dryRun, retireFormat };
        retire.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Load());
            var options = services.GetRequiredService<StorageOptions>();
            var dataSource = services.GetRequiredService<NpgsqlDataSource>();
            var retired = await RetiredVersions.FindAsync(services.GetRequiredService<ReadModelCatalog>(), dataSource, options.EventSchema, ct);
            await Output.WriteAsync(parse.GetValue(retireFormat)!, ["projection", "version", "tables", "progression"],
                [.. retired.Select(r => (IReadOnlyList<object?>)[r.Projection, r.Version, string.Join(" ", r.Tables), r.Progression ?? ""])]);
            if (retired.Count == 0 || parse.GetValue(dryRun)) return 0;
            await RetiredVersions.DropAsync(retired, options.ReadModelSchema, dataSource, options.EventSchema, ct);
            AnsiConsole.MarkupLine($"[green]Dropped {retired.Sum(r => r.Tables.Count)} tables of {retired.Count} retired version(s).[/]");
            return 0;
        });

        return new Command("projections", "Read models: status, rebuilds and retiring earlier versions.") { status, rebuild, retire };
    }
}
