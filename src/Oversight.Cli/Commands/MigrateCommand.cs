using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Oversight.EventStore;
using Oversight.EventStore.Serialization;
using Spectre.Console;

namespace Oversight.Cli.Commands;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Create or upgrade the database schema (safe to run from several processes at once).");
        command.SetAction(async (_, cancellationToken) =>
        {
            var configuration = CliConfiguration.Load();
            var options = configuration.GetSection("EventStore").Get<EventStoreOptions>() ?? new EventStoreOptions();
            await using var dataSource = EventStoreServiceCollectionExtensions.CreateDataSource(configuration.ConnectionString());
            var store = new EventStore.EventStore(dataSource, new EventTypeRegistry(), options, TimeProvider.System);
            await store.MigrateAsync(cancellationToken);
            AnsiConsole.MarkupLine($"[green]Schema '{store.Schema}' is up to date.[/]");
            return 0;
        });
        return command;
    }
}
