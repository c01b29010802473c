using JasperFx.Events;
using Marten;
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
    private readonly ProjectionTables _tables = ProjectionTables.InSchema(schema);

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

    /// <summary>Registers <paramref name="projection"/> as an async projection whose rebuild empties its tables first.</summary>
    public static void Register(StoreOptions options, ISqlProjection projection, string schema)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(projection);
        var tables = ProjectionTables.InSchema(schema);
        options.Projections.Add(new MartenSqlProjection(projection, schema), JasperFx.Events.Projections.ProjectionLifecycle.Async, projection.Name, async =>
        {
            foreach (var table in projection.Tables) async.DeleteDataInTableOnTeardown(tables.Table(table));
        });
    }

    public static ProjectedEvent ToProjected(IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new ProjectedEvent(e.Sequence, e.StreamKey ?? e.StreamId.ToString(), e.Id, EventNames.Parse(e.EventTypeName).Name, e.Data, EventHeaderValues.OccurredOn(e), e.Timestamp);
    }
}
