using System.Text.RegularExpressions;
using Npgsql;

namespace Oversight.Persistence.Projections;

/// <summary>
/// A read model kept in SQL tables: events in, statements out. It does no I/O itself, so whoever runs it decides the
/// transaction: Marten's async daemon queues the statements on its session (<see cref="MartenSqlProjection"/>), where
/// they commit with the daemon's progress. Statements run in order, so a later one may read what an earlier one wrote.
/// </summary>
public interface ISqlProjection
{
    string Name { get; }

    /// <summary>
    /// Bumped when what <see cref="Apply"/> writes or the tables change. A new version builds its own tables
    /// (<c>{table}_v{n}</c>) and its own progression row (<c>{name}:V{n}:All</c>) from the first event, beside the old
    /// version, which keeps serving the nodes that still run it (blue/green); <c>oversight projections retire</c> drops the old.
    /// </summary>
    uint Version { get; }

    /// <summary>Base names of the tables this projection owns.</summary>
    IReadOnlyList<string> Tables { get; }

    /// <summary>Base names of tables earlier versions owned and this one no longer has: dropped when those versions retire.</summary>
    IReadOnlyList<string> FormerTables => [];

    /// <summary>The event types it reads: the daemon fetches and deserializes only these for it.</summary>
    IReadOnlyList<Type> EventTypes { get; }

    /// <summary>Idempotent DDL creating the tables (<c>CREATE TABLE IF NOT EXISTS</c>…).</summary>
    string CreateTablesSql(ProjectionTables tables);

    /// <summary>Appends to <paramref name="commands"/> the statements that apply <paramref name="events"/>, in global order.</summary>
    void Apply(IReadOnlyList<ProjectedEvent> events, ProjectionTables tables, ICollection<NpgsqlBatchCommand> commands);
}

/// <summary>An event as projections see it, whichever store it came from.</summary>
public sealed record ProjectedEvent(long Sequence, string StreamId, Guid EventId, string EventType, object Data, DateOnly? OccurredOn,
    DateTimeOffset RecordedAt);

/// <summary>Qualified, quoted names of a projection's tables.</summary>
public sealed partial class ProjectionTables(Func<string, string> qualify)
{
    /// <summary>The tables of <paramref name="projection"/> at its version, in <paramref name="schema"/>.</summary>
    public static ProjectionTables Of(string schema, ISqlProjection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        return InSchema(schema, projection.Version);
    }

    /// <summary>Tables in <paramref name="schema"/> at <paramref name="version"/>: version 1 keeps the plain names.</summary>
    public static ProjectionTables InSchema(string schema, uint version = 1) =>
        new(name => $"\"{schema}\".\"{VersionedName(name, version)}\"");

    public static string VersionedName(string name, uint version) => version <= 1 ? name : $"{name}_v{version}";

    public string Table(string name) =>
        Identifier().IsMatch(name) ? qualify(name) : throw new ArgumentException($"Table name '{name}' must match {Identifier()}.", nameof(name));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,50}$")]
    private static partial Regex Identifier();
}
