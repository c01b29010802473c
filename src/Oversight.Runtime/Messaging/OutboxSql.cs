namespace Oversight.Runtime.Messaging;

/// <summary>The outbox's statements for one schema. Only the validated schema name is interpolated.</summary>
internal sealed class OutboxSql(string schema)
{
    private const string Columns =
        "id, handler, message_type, schema_version, body, headers, deliver_at, attempts, trace_parent, correlation_id, causation_id, created_at";

    // What a worker reads of a claimed row (MessageWorkers.ClaimAsync reads the columns in this order).
    private const string Claimed = "id, handler, message_type, schema_version, body::text, headers::text, attempts, trace_parent, correlation_id";

    // One row per (event, subscriber), with an id derived from both: enqueueing the same event twice is a no-op.
    public string EnqueueForEvents { get; } =
        $"""
        INSERT INTO "{schema}".outbox ({Columns})
        SELECT md5(e.event_id::text || '/' || s.handler)::uuid, s.handler, e.event_type, e.schema_version, e.data,
               jsonb_build_object('streamId', e.stream_id, 'version', e.version, 'sequence', e.seq,
                                  'eventId', e.event_id, 'occurredOn', e.occurred_on),
               $4, 0, e.trace_parent, e.correlation_id, e.event_id::text, $4
          FROM "{schema}".events e
          JOIN unnest($5::text[], $6::text[]) AS s(handler, event_type) ON s.event_type = e.event_type
         WHERE e.stream_id = $1 AND e.version BETWEEN $2 AND $3
        ON CONFLICT (id) DO NOTHING
        """;

    public string Enqueue { get; } =
        $"""
        INSERT INTO "{schema}".outbox ({Columns})
        SELECT id, handler, message_type, schema_version, body, jsonb_build_object(), deliver_at, 0, $7, $8, $9, $10
          FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::jsonb[], $6::timestamptz[])
               AS m(id, handler, message_type, schema_version, body, deliver_at)
        ON CONFLICT (id) DO NOTHING
        """;

    // Due messages, oldest first; rows other workers hold are skipped, not waited for.
    public string Claim { get; } =
        $"""
        SELECT {Claimed}
          FROM "{schema}".outbox
         WHERE deliver_at <= $1
         ORDER BY deliver_at
         LIMIT $2
           FOR UPDATE SKIP LOCKED
        """;

    public string ClaimOne { get; } =
        $"""
        SELECT {Claimed}
          FROM "{schema}".outbox
         WHERE id = $1
           FOR UPDATE SKIP LOCKED
        """;

    // Marks claimed messages handled and removes them, returning those not handled before (redeliveries are
    // dropped). Handlers then run in the same transaction: a crash or failure undoes all of it together.
    public string Settle { get; } =
        $"""
        WITH gone AS (DELETE FROM "{schema}".outbox WHERE id = ANY($1))
        INSERT INTO "{schema}".handled_messages (message_id, handler, handled_at)
        SELECT * FROM unnest($1::uuid[], $2::text[]), (SELECT $3::timestamptz) AS t
        ON CONFLICT (message_id) DO NOTHING
        RETURNING message_id
        """;

    public string Retry { get; } =
        $"UPDATE \"{schema}\".outbox SET attempts = $2, deliver_at = $3, last_error = $4 WHERE id = $1";

    public string DeadLetter { get; } =
        $"""
        WITH moved AS (DELETE FROM "{schema}".outbox WHERE id = $1 RETURNING *)
        INSERT INTO "{schema}".message_dead_letters
               (id, handler, message_type, schema_version, body, headers, attempts, error, trace_parent, correlation_id, causation_id, created_at, failed_at)
        SELECT id, handler, message_type, schema_version, body, headers, $2, $3, trace_parent, correlation_id, causation_id, created_at, $4 FROM moved
        ON CONFLICT (id) DO UPDATE SET attempts = excluded.attempts, error = excluded.error, failed_at = excluded.failed_at, replayed_at = NULL
        """;

    // Back to the outbox with a fresh retry budget; the dead letter keeps its record of having been replayed.
    public string ReplayDeadLetters { get; } =
        $"""
        WITH picked AS (
            UPDATE "{schema}".message_dead_letters SET replayed_at = $1
             WHERE replayed_at IS NULL AND ($2::text IS NULL OR handler = $2) AND ($3::uuid[] IS NULL OR id = ANY($3))
            RETURNING *)
        INSERT INTO "{schema}".outbox ({Columns})
        SELECT id, handler, message_type, schema_version, body, headers, $1, 0, trace_parent, correlation_id, causation_id, created_at FROM picked
        ON CONFLICT (id) DO NOTHING
        """;

    public string PruneHandled { get; } =
        $"DELETE FROM \"{schema}\".handled_messages WHERE handled_at < $1";
}
