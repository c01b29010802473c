using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;

namespace Oversight.Cli.Commands;

/// <summary>
/// <c>oversight dead-letters list | replay</c>: the follow-up messages Wolverine gave up on after its retries (ADR 9), kept in
/// its dead-letter table with the exception. Replay marks them replayable; a running node's durability agent moves them back
/// to its inbox and the handlers run again.
/// </summary>
internal static class DeadLettersCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = "table or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong(Output.Formats);
        var list = new Command("list", "Dead-lettered messages: id, message type, when it failed, the exception.") { format };
        list.SetAction(async (parse, ct) =>
        {
            using var host = CliMessaging.Build(CliConfiguration.Load());
            var letters = host.Services.GetRequiredService<IWolverineRuntime>().Storage.DeadLetters;
            var rows = new List<IReadOnlyList<object?>>();
            for (var page = 0; ; page++)
            {
                var results = await letters.QueryAsync(new DeadLetterEnvelopeQuery { PageNumber = page, PageSize = 500 }, ct);
                rows.AddRange(results.Envelopes.Select(e => (IReadOnlyList<object?>)
                    [e.Id, e.MessageType, e.SentAt, e.Replayable ? "yes" : "no", e.ExceptionType, e.ExceptionMessage]));
                if (results.Envelopes.Count < 500) break;
            }
            await Output.WriteAsync(parse.GetValue(format)!, ["id", "message type", "sent at", "replayable", "exception", "message"], rows);
            return 0;
        });

        var ids = new Argument<Guid[]>("id") { Description = "Dead letters to replay (see list).", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Replay every dead letter." };
        var replay = new Command("replay", "Hand dead-lettered messages back to the handlers (after the cause is fixed).") { ids, all };
        replay.SetAction(async (parse, ct) =>
        {
            var chosen = parse.GetValue(ids) ?? [];
            var everything = parse.GetValue(all);
            if (chosen.Length == 0 == !everything)
            {
                AnsiConsole.MarkupLine("[red]Name the dead letters to replay, or pass --all (not both).[/]");
                return 2;
            }
            using var host = CliMessaging.Build(CliConfiguration.Load());
            var letters = host.Services.GetRequiredService<IWolverineRuntime>().Storage.DeadLetters;
            var query = everything ? new DeadLetterEnvelopeQuery() : new DeadLetterEnvelopeQuery(chosen);
            var count = (await letters.QueryAsync(query, ct)).TotalCount;
            await letters.ReplayAsync(query, ct);
            AnsiConsole.MarkupLine($"[green]{count} dead letter(s) marked for replay; a running node hands them back to the handlers.[/]");
            return 0;
        });

        return new Command("dead-letters", "Follow-up messages that failed after their retries: list and replay.") { list, replay };
    }
}
