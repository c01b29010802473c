using System.Runtime.CompilerServices;
using Npgsql;
using Oversight.Persistence.Events;
using Oversight.Persistence.Projections;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.Storage;

namespace Oversight.ReadModels.Tests.Projections;

/// <summary>
/// Marten's daemon hands each read model only the event types it declares (<see cref="ISqlProjection.EventTypes"/>). A type
/// left out by mistake would be lost without a trace, so: every domain event a read model does not declare must be one it
/// ignores — applying it, with every member empty, writes nothing. This catches a type read unconditionally; one read only
/// under a condition on its members is caught by the national-history comparison in the CLI's tests.
/// </summary>
public sealed class EventTypeFilterTests
{
    public static TheoryData<string> ReadModels => [.. OversightStorage.Projections(new RiskOptions()).Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(ReadModels))]
    public void Every_event_type_a_read_model_does_not_declare_is_one_it_ignores(string name)
    {
        var projection = OversightStorage.Projections(new RiskOptions()).Single(p => p.Name == name);
        var tables = ProjectionTables.InSchema("filter_test");
        var undeclared = EventNames.Domain.Where(e => !projection.EventTypes.Contains(e.Type)).ToList();
        Assert.NotEmpty(projection.EventTypes);
        foreach (var (type, storedName) in undeclared)
        {
            // Every member empty: a projection that reads the event at all either writes something or trips over the nulls.
            var data = RuntimeHelpers.GetUninitializedObject(type);
            var e = new ProjectedEvent(1, "so-00000000-0000-0000-0000-000000000001", Guid.NewGuid(), EventNames.Parse(storedName).Name, data,
                new DateOnly(2023, 1, 1), DateTimeOffset.UnixEpoch);
            var commands = new List<NpgsqlBatchCommand>();
            var applied = Record.Exception(() => projection.Apply([e], tables, commands));
            Assert.True(applied is null && commands.Count == 0, $"{name} reacts to {type.Name}, which it does not declare: {applied?.Message ?? $"{commands.Count} statement(s)"}");
        }
    }
}
