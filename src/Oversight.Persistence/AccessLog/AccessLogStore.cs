using Npgsql;
using NpgsqlTypes;

namespace Oversight.Persistence.AccessLog;

/// <summary>One read of personal data: who (subject and role), what (the kind of record and its id, the organization it concerns), when, why.</summary>
public sealed record AccessRecord(DateTimeOffset At, string ActorId, string ActorRole, string Action, string SubjectType, string SubjectId, Guid? OrganizationId,
    string? CorrelationId, string? Purpose);

/// <summary>Which reads to list: by actor, by subject (the record read, or the organization it concerns), in a time range, newest first.</summary>
public sealed record AccessLogQuery(string? ActorId = null, string? Subject = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 1000);

/// <summary>
/// The access log: who read whose record (APPI; internal audit). A table beside the events, not part of any organization's history,
/// append-only (a trigger refuses UPDATE, DELETE and TRUNCATE), written in the read's request before its answer leaves, so no
/// personal data is served without its entry.
/// </summary>
public sealed class AccessLogStore(NpgsqlDataSource dataSource, string schema)
{
    public const string Table = "access_log";

    public static string CreateTableSql(string schema) =>
        $"""
        CREATE TABLE IF NOT EXISTS "{schema}".{Table} (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL, actor_id text NOT NULL, actor_role text NOT NULL,
            action text NOT NULL, subject_type text NOT NULL, subject_id text NOT NULL, organization_id uuid, correlation_id text, purpose text);
        CREATE INDEX IF NOT EXISTS {Table}_actor ON "{schema}".{Table} (actor_id, at);
        CREATE INDEX IF NOT EXISTS {Table}_subject ON "{schema}".{Table} (subject_id, at);
        CREATE INDEX IF NOT EXISTS {Table}_organization ON "{schema}".{Table} (organization_id, at) WHERE organization_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS {Table}_at ON "{schema}".{Table} (at);
        CREATE OR REPLACE FUNCTION "{schema}".{Table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the access log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE OR REPLACE TRIGGER {Table}_append_only BEFORE UPDATE OR DELETE ON "{schema}".{Table}
            FOR EACH ROW EXECUTE FUNCTION "{schema}".{Table}_append_only();
        CREATE OR REPLACE TRIGGER {Table}_no_truncate BEFORE TRUNCATE ON "{schema}".{Table}
            FOR EACH STATEMENT EXECUTE FUNCTION "{schema}".{Table}_append_only();
        """;

    public async Task RecordAsync(AccessRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO \"{schema}\".{Table} (at, actor_id, actor_role, action, subject_type, subject_id, organization_id, correlation_id, purpose) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = record.At });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.ActorId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.ActorRole });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Action });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.SubjectType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.SubjectId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)record.OrganizationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)record.CorrelationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)record.Purpose ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AccessRecord>> QueryAsync(AccessLogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = dataSource.CreateCommand(
            $"SELECT at, actor_id, actor_role, action, subject_type, subject_id, organization_id, correlation_id, purpose FROM \"{schema}\".{Table} " +
            "WHERE ($1::text IS NULL OR actor_id = $1) AND ($2::text IS NULL OR subject_id = $2 OR organization_id::text = $2) " +
            "AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4) ORDER BY at DESC, id DESC LIMIT $5");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.ActorId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Subject ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.From ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.To ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit });
        var records = new List<AccessRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
            records.Add(new AccessRecord(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetGuid(6), Text(7), Text(8)));
        }
        return records;
    }
}
