using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Oversight.ReadModels.Storage;
using Oversight.Runtime;
using Oversight.Runtime.Projections;
using Spectre.Console;

namespace Oversight.Cli.Commands;

/// <summary><c>oversight projections status | rebuild &lt;name&gt;</c>.</summary>
internal static class ProjectionsCommand
{
    public static Command Create()
    {
        var status = new Command("status", "Each projection's checkpoint, lag, state, leader and open dead letters.");
        status.SetAction(async (_, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Load());
            var daemon = services.GetRequiredService<ProjectionDaemon>();
            await daemon.EnsureCreatedAsync(ct);
            var rows = await daemon.GetStatusAsync(ct);
            await Output.WriteAsync("table", ["projection", "checkpoint", "head", "lag (events)", "lag (s)", "state", "leader", "dead letters"],
                rows.Select(s => (IReadOnlyList<object?>)[s.Name, s.Checkpoint.Sequence, s.HeadSequence, s.LagEvents, Math.Round(s.LagSeconds, 1), s.State, s.Leader, s.OpenDeadLetters]));
            return 0;
        });

        var name = new Argument<string>("name") { Description = "Projection name (see status)." };
        var rebuild = new Command("rebuild", "Rebuild a projection into fresh tables while the live ones keep serving, then swap them in.") { name };
        rebuild.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Load());
            var store = services.GetRequiredService<EventStore.EventStore>();
            await OversightSchema.MigrateAsync(store, services.GetRequiredService<EventRuntime>(), ct);
            var daemon = services.GetRequiredService<ProjectionDaemon>();
            await daemon.EnsureCreatedAsync(ct);
            RebuildProgress? done = null;
            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask($"Rebuilding {parse.GetValue(name)}", maxValue: 1);
                    done = await daemon.RebuildAsync(parse.GetValue(name)!, new Progress<RebuildProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.HeadSequence);
                        task.Value = p.LastSequence;
                    }), ct);
                    task.Value = task.MaxValue;
                });
            AnsiConsole.MarkupLine($"[green]Rebuilt {Markup.Escape(done!.Projection)}: {done.EventsApplied:N0} events up to position {done.LastSequence:N0}.[/]");
            return 0;
        });

        return new Command("projections", "Read models: status and rebuilds.") { status, rebuild };
    }
}
