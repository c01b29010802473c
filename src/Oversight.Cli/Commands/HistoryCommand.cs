using System.CommandLine;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Oversight.Persistence.Reading;
using Oversight.ReadModels.History;

namespace Oversight.Cli.Commands;

/// <summary><c>oversight history &lt;org&gt; [--as-of] [--recorded-before] [--format]</c>: what auditors replay, from the store itself.</summary>
internal static class HistoryCommand
{
    private static readonly string[] Columns = ["position", "stream", "version", "type", "occurredOn", "recordedAt", "actor", "role", "data"];

    public static Command Create()
    {
        var organization = new Argument<Guid>("organization") { Description = "The organization's id." };
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Only events whose business date is on or before this date." };
        var recordedBefore = new Option<DateTimeOffset?>("--recorded-before") { Description = "What the system knew at this instant." };
        var format = StatsCommand.Format();
        var command = new Command("history", "Every event of an organization and of what concerns it, in global order.") { organization, asOf, recordedBefore, format };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Load());
            var reader = services.GetRequiredService<EventReader>();
            await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
            var streams = await OrganizationHistory.FindStreamsAsync(session, reader, parse.GetValue(organization), ct);
            if (streams is null)
            {
                await Console.Error.WriteLineAsync($"No organization {parse.GetValue(organization)}.");
                return 1;
            }
            var events = await reader.ReadStreamsAsync(streams.All,
                new HistoryQuery { Limit = int.MaxValue, OccurredOnOrBefore = parse.GetValue(asOf), RecordedBefore = parse.GetValue(recordedBefore) }, ct);
            await Output.WriteAsync(parse.GetValue(format)!, Columns, events.Select(e => (IReadOnlyList<object?>)
                [e.Sequence, e.StreamId, e.Version, e.EventType, e.OccurredOn, e.RecordedAt, e.ActorId, e.ActorRole, e.Json]),
                $"{streams.OrganizationType} {streams.OrganizationId}");
            return 0;
        });
        return command;
    }
}
