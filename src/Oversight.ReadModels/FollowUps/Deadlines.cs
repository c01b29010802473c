using Marten;
using NpgsqlTypes;
using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.FollowUps;

/// <summary>
/// Work due at a business instant (ADR 8): a row per deadline, written in the transaction of the event that set it and
/// claimed by <see cref="DeadlinePoller"/> when the injected clock reaches it. Wolverine's own scheduler compares with
/// the wall clock, which is not the business clock in tests or replays.
/// </summary>
public static class Deadlines
{
    public const string Table = "followup_deadlines";

    public static string CreateTableSql(string schema) =>
        $"""
        CREATE TABLE IF NOT EXISTS "{schema}".{Table} (
            kind text NOT NULL, subject uuid NOT NULL, due_at timestamptz NOT NULL, payload jsonb NOT NULL,
            PRIMARY KEY (kind, subject, due_at));
        CREATE INDEX IF NOT EXISTS {Table}_due ON "{schema}".{Table} (due_at);
        """;

    /// <summary>Queues a deadline on <paramref name="session"/> (once: the same kind, subject and instant is one deadline).</summary>
    public static void Set<T>(IDocumentSession session, string schema, Guid subject, DateTimeOffset dueAt, T check) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(session);
        session.QueueOperation(new SqlOperation(
            $"INSERT INTO \"{schema}\".{Table} (kind, subject, due_at, payload) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (typeof(T).Name, NpgsqlDbType.Text), (subject, NpgsqlDbType.Uuid), (dueAt.ToUniversalTime(), NpgsqlDbType.TimestampTz),
            (session.DocumentStore.Options.Serializer().ToJson(check), NpgsqlDbType.Jsonb)));
    }

    /// <summary>00:00 in Tokyo on the day after <paramref name="dueOn"/>: the first moment it is overdue.</summary>
    public static DateTimeOffset OverdueFrom(DateOnly dueOn) => new(dueOn.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(9));
}
