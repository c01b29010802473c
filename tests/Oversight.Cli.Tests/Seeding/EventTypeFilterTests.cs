using System.Collections;
using Npgsql;
using Oversight.Persistence.Events;
using Oversight.Persistence.Projections;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.Storage;

namespace Oversight.Cli.Tests.Seeding;

/// <summary>
/// Marten's daemon hands each read model only the event types it declares. Over a generated national history, every read
/// model writes exactly the same statements from its declared events alone as from all events: nothing it reads is left out.
/// </summary>
public sealed class EventTypeFilterTests(SmallDataset small) : IClassFixture<SmallDataset>
{
    [Fact]
    public void Each_read_model_writes_the_same_from_its_declared_events_as_from_all_events()
    {
        var types = EventNames.Domain.ToDictionary(e => e.Type, e => e.Name);
        long sequence = 0;
        var events = small.Dataset.Streams
            .SelectMany(s => s.Events.Select(e => (s.StreamId, Event: e)))
            .OrderBy(x => x.Event.OccurredOn)
            .Select(x => new ProjectedEvent(++sequence, x.StreamId, x.Event.EventId, EventNames.Parse(types[x.Event.Data.GetType()]).Name, x.Event.Data,
                x.Event.OccurredOn, DateTimeOffset.UnixEpoch))
            .ToList();
        var tables = ProjectionTables.InSchema("filter_test");
        foreach (var projection in OversightStorage.Projections(new RiskOptions()))
        {
            var declared = projection.EventTypes.ToHashSet();
            foreach (var batch in events.Chunk(500))
            {
                var everything = Statements(projection, batch, tables);
                var filtered = Statements(projection, [.. batch.Where(e => declared.Contains(e.Data.GetType()))], tables);
                Assert.True(everything.SequenceEqual(filtered),
                    $"{projection.Name} writes differently without {string.Join(", ", batch.Select(e => e.Data.GetType().Name).Where(t => !declared.Any(d => d.Name == t)).Distinct())}");
            }
        }
        Assert.True(events.Count > 10_000, "the generated history is too small to say anything");
    }

    private static List<string> Statements(ISqlProjection projection, IReadOnlyList<ProjectedEvent> batch, ProjectionTables tables)
    {
        var commands = new List<NpgsqlBatchCommand>();
        if (batch.Count > 0) projection.Apply(batch, tables, commands);
        return [.. commands.Select(c => c.CommandText + " | " + string.Join(" ; ", c.Parameters.Select(p => Text(p.Value))))];
    }

    private static string Text(object? value) => value switch
    {
        null or DBNull => "null",
        string s => s,
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Text)) + "]",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
