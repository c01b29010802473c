using Oversight.EventStore;

namespace Oversight.Runtime.Projections;

/// <summary>
/// Builds read-model tables from events. Async projections run in the daemon, in batches committed with
/// their checkpoint; inline projections run inside the transaction that appends the events. Create tables
/// with <see cref="ProjectionContext.Table"/> names and let PostgreSQL name indexes and constraints, so a
/// rebuild can build fresh copies beside the live tables and swap them in.
/// </summary>
public interface IProjection
{
    string Name { get; }

    /// <summary>Base names of the tables this projection owns (in the read-model schema).</summary>
    IReadOnlyList<string> Tables { get; }

    /// <summary>Creates the tables if they do not exist (<c>CREATE TABLE IF NOT EXISTS</c>).</summary>
    Task CreateTablesAsync(ProjectionContext context, CancellationToken cancellationToken);

    /// <summary>Applies events in global order. Throwing rolls the batch back; the event is retried, then dead-lettered.</summary>
    Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken);
}

public enum ProjectionLifecycle
{
    /// <summary>Applied by the daemon after commit, checkpointed, rebuildable without downtime.</summary>
    Async,

    /// <summary>Applied in the appending transaction: strongly consistent, adds to every append's cost.</summary>
    Inline,
}
