using System.CommandLine;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.Storage;
using Spectre.Console;

namespace Oversight.Cli.Commands;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Create or upgrade the database schema (safe to run from several processes at once).");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Load());
            var options = services.GetRequiredService<StorageOptions>();
            await OversightStorage.ApplySchemaAsync(services.GetRequiredService<IDocumentStore>(), services.GetRequiredService<NpgsqlDataSource>(), options,
                services.GetRequiredService<RiskOptions>(), cancellationToken);
            AnsiConsole.MarkupLine($"[green]Schemas '{options.EventSchema}' and '{options.ReadModelSchema}' are up to date.[/]");
            return 0;
        });
        return command;
    }
}
