using System.CommandLine;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Oversight.ReadModels.ReferenceData;
using Oversight.ReadModels.Storage;
using Spectre.Console;
using Wolverine.Runtime;

namespace Oversight.Cli.Commands;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var referenceData = new Option<bool>("--reference-data")
            { Description = "Also record the reference data shipped with this build (the Memoranda of Cooperation) for countries the store has none for." };
        var command = new Command("migrate", "Create or upgrade the database schema (safe to run from several processes at once).") { referenceData };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Composed as the API is (Marten with Wolverine's integration), so the schema is everything the API will use.
            using var host = CliMessaging.Build(CliConfiguration.Load());
            var services = host.Services;
            var options = services.GetRequiredService<StorageOptions>();
            await OversightStorage.ApplySchemaAsync(services.GetRequiredService<IDocumentStore>(), services.GetRequiredService<NpgsqlDataSource>(), options,
                services.GetRequiredService<ReadModelCatalog>(), cancellationToken);
            // Wolverine's inbox, outbox, dead letters and node tables, in the events' schema (its Marten integration puts them there).
            await services.GetRequiredService<IWolverineRuntime>().Storage.Admin.MigrateAsync();
            AnsiConsole.MarkupLine($"[green]Schemas '{options.EventSchema}' and '{options.ReadModelSchema}' are up to date.[/]");
            if (parse.GetValue(referenceData))
            {
                var recorded = await MocReferenceData.EnsureRecordedAsync(services.GetRequiredService<IDocumentStore>(), TimeProvider.System, cancellationToken);
                AnsiConsole.MarkupLine($"[green]Reference data: the Memoranda of Cooperation of {recorded} countries recorded ({MocReferenceData.All.Select(m => m.Country).Distinct().Count()} shipped).[/]");
            }
            return 0;
        });
        return command;
    }
}
