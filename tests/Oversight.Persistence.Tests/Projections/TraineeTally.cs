using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using NpgsqlTypes;
using Oversight.Domain.Inspections;
using Oversight.Persistence.Projections;

namespace Oversight.Persistence.Tests.Projections;

/// <summary>
/// A read model in SQL tables, applied by Marten's async daemon: findings and trainees per stream, and how many
/// times each event was applied (which must be exactly once). Poison narratives make it throw.
/// </summary>
public sealed class TraineeTally(string schema) : IProjection
{
    public const string Poison = "poison";
    public static volatile bool PoisonFixed;

    public string CreateTables =>
        $"""
        CREATE TABLE IF NOT EXISTS "{schema}".tally (stream_id text PRIMARY KEY, events integer NOT NULL, trainees integer NOT NULL);
        CREATE TABLE IF NOT EXISTS "{schema}".applied (seq bigint PRIMARY KEY, applications integer NOT NULL);
        """;

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            if (e.Data is not FindingRecorded finding) continue;
            if (finding.Narrative == Poison && !PoisonFixed) throw new InvalidOperationException($"cannot apply event {e.Sequence}");
            operations.QueueOperation(new SqlOperation(
                $"""INSERT INTO "{schema}".tally AS t (stream_id, events, trainees) VALUES (?, 1, ?) ON CONFLICT (stream_id) DO UPDATE SET events = t.events + 1, trainees = t.trainees + excluded.trainees""",
                (e.StreamKey, NpgsqlDbType.Text), (finding.TraineesAffected, NpgsqlDbType.Integer)));
            operations.QueueOperation(new SqlOperation(
                $"""INSERT INTO "{schema}".applied AS a (seq, applications) VALUES (?, 1) ON CONFLICT (seq) DO UPDATE SET applications = a.applications + 1""",
                (e.Sequence, NpgsqlDbType.Bigint)));
        }
        return Task.CompletedTask;
    }
}
