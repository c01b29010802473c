using JasperFx.Events;
using Marten;
using JasperFx.Events.Projections;
using Marten.Events.Projections;
using Npgsql;
using Oversight.Persistence.Events;

namespace Oversight.Persistence.Projections;

/// <summary>
/// Runs an <see cref="ISqlProjection"/> in Marten's async daemon: each batch's statements are queued on the daemon's
/// session and commit in the transaction that records its progress, so every event's effect lands exactly once.
/// </summary>
public sealed class MartenSqlProjection(ISqlProjection projection, string schema) : IProjection
{
    private readonly ProjectionTables _tables = ProjectionTables.Of(schema, projection);

    public ISqlProjection Projection => projection;

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(events);
        var commands = new List<NpgsqlBatchCommand>();
        projection.Apply([.. events.Select(ToProjected)], _tables, commands);
        foreach (var command in commands) operations.QueueOperation(new BatchCommandOperation(command));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Events fetched per batch at most (Marten's default: 500). A live batch holds what arrived since the last one; after a seed
    /// or during a rebuild, larger batches divide the per-batch work (the risk flags of every touched organization recomputed,
    /// a progress update) by as much.
    /// </summary>
    public const int CatchUpBatchSize = 2_500;

    /// <summary>
    /// Registers <paramref name="projection"/> as an async projection that reads only its event types (each shard fetches and
    /// deserializes its own events) and whose rebuild empties its tables first.
    /// </summary>
    public static void Register(StoreOptions options, ISqlProjection projection, string schema)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(projection);
        var tables = ProjectionTables.Of(schema, projection);
        var source = new ProjectionWrapper<IDocumentOperations, IQuerySession>(new MartenSqlProjection(projection, schema), ProjectionLifecycle.Async)
        {
            Name = projection.Name,
            Version = projection.Version,
        };
        foreach (var type in projection.EventTypes) source.IncludeType(type);
        options.Projections.Add(source, ProjectionLifecycle.Async, async =>
        {
            async.BatchSize = CatchUpBatchSize;
            foreach (var table in projection.Tables) async.DeleteDataInTableOnTeardown(tables.Table(table));
        });
    }

    /// <summary>The daemon's progression row of <paramref name="projection"/> at its version (<c>name:All</c>, <c>name:V2:All</c>…).</summary>
    public static string ProgressionName(ISqlProjection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        return ProgressionName(projection.Name, projection.Version);
    }

    public static string ProgressionName(string name, uint version) => ShardName.Compose(name, ShardName.All, null, version).Identity;

    public static ProjectedEvent ToProjected(IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new ProjectedEvent(e.Sequence, e.StreamKey ?? e.StreamId.ToString(), e.Id, EventNames.Parse(e.EventTypeName).Name, e.Data, EventHeaderValues.OccurredOn(e), e.Timestamp);
    }
}
