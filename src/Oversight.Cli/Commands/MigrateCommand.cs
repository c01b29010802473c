using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Oversight.ReadModels.Storage;
using Oversight.Runtime;
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
            var store = services.GetRequiredService<EventStore.EventStore>();
            await OversightSchema.MigrateAsync(store, services.GetRequiredService<EventRuntime>(), cancellationToken);
            AnsiConsole.MarkupLine($"[green]Schema '{store.Schema}' is up to date.[/]");
            return 0;
        });
        return command;
    }
}
