using Npgsql;
using Oversight.EventStore;
using Oversight.Persistence.Projections;
using Oversight.Runtime.Projections;

namespace Oversight.ReadModels.Storage;

/// <summary>
/// Runs an <see cref="ISqlProjection"/> in our own projection daemon (ADR 4) until the service moves to Marten's
/// (ADR 8): the statements run as one batch on the daemon's connection, in the transaction of its checkpoint.
/// Goes with <c>Oversight.Runtime</c>.
/// </summary>
public sealed class RuntimeSqlProjection(ISqlProjection projection) : IProjection
{
    public string Name => projection.Name;

    public IReadOnlyList<string> Tables => projection.Tables;

    public async Task CreateTablesAsync(ProjectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var command = new NpgsqlCommand(projection.CreateTablesSql(new ProjectionTables(context.Table)), context.Connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(events);
        var commands = new List<NpgsqlBatchCommand>();
        projection.Apply([.. events.Select(e => new ProjectedEvent(e.Sequence, e.StreamId, e.EventId, e.EventType, e.Data, e.OccurredOn, e.RecordedAt))],
            new ProjectionTables(context.Table), commands);
        if (commands.Count == 0) return;
        await using var batch = new NpgsqlBatch(context.Connection);
        foreach (var command in commands) batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
