namespace Oversight.EventStore;

/// <summary>The store's statements for one schema, built once. Only the validated schema name is interpolated; every value is a parameter.</summary>
internal sealed class Sql(string schema)
{
    public string Schema { get; } = schema;

    private const string EventColumns =
        "seq, tx_id, stream_id, version, event_id, event_type, schema_version, data, recorded_at, occurred_on, " +
        "actor_id, actor_role, correlation_id, causation_id, idempotency_key, hash, trace_parent";

    public string Append { get; } =
        $"SELECT status, first_version, last_version, last_seq FROM \"{schema}\".append_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

    public string ReadStream { get; } =
        $"SELECT {EventColumns} FROM \"{schema}\".events WHERE stream_id = $1 AND version >= $2 AND version <= $3 ORDER BY version";

    // What the system knew at an instant: the longest prefix of the stream recorded before it. Clocks of
    // different nodes may disagree, so a later version can carry an earlier recorded_at; a prefix never has holes.
    public string ReadStreamRecordedBefore { get; } =
        $"""
        SELECT {EventColumns} FROM "{schema}".events
         WHERE stream_id = $1 AND version >= $2 AND version <= $3
           AND version < coalesce((SELECT min(version) FROM "{schema}".events WHERE stream_id = $1 AND recorded_at >= $4), 9223372036854775807)
         ORDER BY version
        """;

    // Several streams merged in global order, paged by sequence, optionally restricted to business dates up to $4.
    public string ReadStreams { get; } =
        $"""
        SELECT {EventColumns} FROM "{schema}".events
         WHERE stream_id = ANY($1) AND seq > $2 AND ($4::date IS NULL OR occurred_on IS NULL OR occurred_on <= $4)
         ORDER BY seq LIMIT $3
        """;

    // The same, as the system knew it at $5: each stream's longest prefix recorded before that instant.
    public string ReadStreamsRecordedBefore { get; } =
        $"""
        WITH cut AS (
            SELECT s.id, coalesce((SELECT min(version) FROM "{schema}".events WHERE stream_id = s.id AND recorded_at >= $5), 9223372036854775807) AS first_unknown
              FROM unnest($1::text[]) AS s(id))
        SELECT {EventColumns.Replace("seq,", "e.seq,", StringComparison.Ordinal)} FROM "{schema}".events e JOIN cut ON cut.id = e.stream_id
         WHERE e.version < cut.first_unknown AND e.seq > $2 AND ($4::date IS NULL OR e.occurred_on IS NULL OR e.occurred_on <= $4)
         ORDER BY e.seq LIMIT $3
        """;

    public string FoldStream { get; } =
        $"SELECT version, event_type, schema_version, data FROM \"{schema}\".events WHERE stream_id = $1 AND version >= $2 AND version <= $3 ORDER BY version";

    public string FoldStreamRecordedBefore { get; } =
        $"""
        SELECT version, event_type, schema_version, data FROM "{schema}".events
         WHERE stream_id = $1 AND version >= $2 AND version <= $3
           AND version < coalesce((SELECT min(version) FROM "{schema}".events WHERE stream_id = $1 AND recorded_at >= $4), 9223372036854775807)
         ORDER BY version
        """;

    public string StreamHead { get; } =
        $"SELECT version, last_hash FROM \"{schema}\".streams WHERE id = $1";

    // Only transactions older than every transaction still running can be read: they are all committed or
    // rolled back, so nothing can still appear below the returned positions.
    public string ReadAll { get; } =
        $"""
        SELECT {EventColumns} FROM "{schema}".events
         WHERE (tx_id, seq) > ($1, $2) AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY tx_id, seq
         LIMIT $3
        """;

    public string SafeHead { get; } =
        $"""
        SELECT tx_id, seq FROM "{schema}".events
         WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY tx_id DESC, seq DESC LIMIT 1
        """;

    public string LastSequence { get; } =
        $"SELECT coalesce(max(seq), 0) FROM \"{schema}\".events";

    public string LastSequenceOfTransaction { get; } =
        $"SELECT coalesce(max(seq), 0) FROM \"{schema}\".events WHERE tx_id = pg_current_xact_id()";

    public string StreamIds { get; } =
        $"SELECT id FROM \"{schema}\".streams WHERE id > $1 ORDER BY id LIMIT $2";

    // The same per-stream advisory locks as append_events, taken in the caller's (ordinal) order so two
    // imports cannot deadlock, and before the transaction has an id (advisory locks need none).
    public string LockStreams { get; } =
        $"SELECT count(pg_advisory_xact_lock(hashtextextended('{schema}:' || id, 7340))) FROM unnest($1::text[]) WITH ORDINALITY AS u(id, n)";

    public string ReadHeads { get; } =
        $"SELECT id, version, last_hash, last_tx FROM \"{schema}\".streams WHERE id = ANY($1)";

    public string FindIdempotencyKeys { get; } =
        $"""
        SELECT k.stream_id, k.request_hash, k.first_version, k.last_version, k.last_seq
          FROM "{schema}".idempotency_keys k
          JOIN unnest($1::text[], $2::text[]) AS r(stream_id, key) ON k.stream_id = r.stream_id AND k.key = r.key
        """;

    public string CopyEvents { get; } =
        $"COPY \"{schema}\".events (stream_id, version, event_id, event_type, schema_version, data, recorded_at, occurred_on, " +
        "actor_id, actor_role, correlation_id, causation_id, idempotency_key, hash, trace_parent) FROM STDIN (FORMAT BINARY)";

    public string CopyStreams { get; } =
        $"COPY \"{schema}\".streams (id, version, last_hash, last_tx, created_at, updated_at) FROM STDIN (FORMAT BINARY)";

    public string UpdateStreams { get; } =
        $"""
        UPDATE "{schema}".streams s SET version = u.version, last_hash = u.hash, last_tx = pg_current_xact_id(), updated_at = $4
          FROM unnest($1::text[], $2::bigint[], $3::bytea[]) AS u(id, version, hash)
         WHERE s.id = u.id
        """;

    public string InsertIdempotencyKeys { get; } =
        $"""
        INSERT INTO "{schema}".idempotency_keys (stream_id, key, request_hash, first_version, last_version, last_seq, created_at)
        SELECT u.stream_id, u.key, u.request_hash, u.first_version, u.last_version,
               (SELECT e.seq FROM "{schema}".events e WHERE e.stream_id = u.stream_id AND e.version = u.last_version), $6
          FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bigint[], $5::bigint[]) AS u(stream_id, key, request_hash, first_version, last_version)
        """;
}
