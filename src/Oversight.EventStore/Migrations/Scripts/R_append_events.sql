-- Repeatable script: re-applied whenever its text changes. Functions live here, tables in numbered scripts.
DO $drop$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = '{schema_name}' AND p.proname = 'append_events'
    LOOP
        EXECUTE 'DROP FUNCTION ' || f;
    END LOOP;
END
$drop$;

-- Appends one or more events to one stream in one round trip.
-- p_expected: -2 = any, -1 = stream must not exist, n >= 0 = stream must be at version n (0 = new or empty).
-- status: 0 written, 1 replayed (idempotency key matched), 2 version conflict (first_version = actual version),
--         3 idempotency key reused with another payload. Conflicts write nothing and leave the caller's transaction usable.
-- Raises 40001 (serialization_failure) when the caller's transaction is older than the stream's last writer.
CREATE FUNCTION {schema}.append_events(
    p_stream          text,
    p_expected        bigint,
    p_idempotency_key text,
    p_request_hash    bytea,
    p_event_ids       uuid[],
    p_types           text[],
    p_schema_versions integer[],
    p_data            jsonb[],
    p_occurred_on     date[],
    p_digests         bytea[],
    p_recorded_at     timestamptz,
    p_actor_id        text,
    p_actor_role      text,
    p_correlation_id  text,
    p_causation_id    text,
    p_trace_parent    text)
RETURNS TABLE (status integer, first_version bigint, last_version bigint, last_seq bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
    n         integer := cardinality(p_event_ids);
    cur       bigint;
    prev      bytea;
    prev_tx   xid8;
    me        xid8;
    hashes    bytea[] := '{}';
    versions  bigint[] := '{}';
    idem      {schema}.idempotency_keys%ROWTYPE;
    seq_last  bigint;
BEGIN
    -- Serialize writers of this stream before this transaction takes an id, so ids follow the stream's order.
    PERFORM pg_advisory_xact_lock(hashtextextended('{schema_name}:' || p_stream, 7340));

    IF p_idempotency_key IS NOT NULL THEN
        SELECT * INTO idem FROM {schema}.idempotency_keys k WHERE k.stream_id = p_stream AND k.key = p_idempotency_key;
        IF FOUND THEN
            IF idem.request_hash <> p_request_hash THEN
                RETURN QUERY SELECT 3, idem.first_version, idem.last_version, idem.last_seq;
                RETURN;
            END IF;
            RETURN QUERY SELECT 1, idem.first_version, idem.last_version, idem.last_seq;
            RETURN;
        END IF;
    END IF;

    -- No row lock: every writer of a stream (single appends here, bulk imports in the store) holds the
    -- stream's advisory lock above, taken before its transaction has an id.
    SELECT s.version, s.last_hash, s.last_tx INTO cur, prev, prev_tx
      FROM {schema}.streams s WHERE s.id = p_stream;
    IF NOT FOUND THEN
        cur := 0;
    END IF;

    IF (p_expected = -1 AND cur > 0) OR (p_expected >= 0 AND p_expected <> cur) THEN
        RETURN QUERY SELECT 2, cur, cur, 0::bigint;
        RETURN;
    END IF;

    me := pg_current_xact_id();
    IF prev_tx IS NOT NULL AND prev_tx > me THEN
        RAISE EXCEPTION USING ERRCODE = '40001',
            MESSAGE = format('stream %s was last written by a newer transaction; retry in a new transaction', p_stream);
    END IF;

    FOR i IN 1..n LOOP
        prev := sha256(coalesce(prev, ''::bytea) || int8send(cur + i) || p_digests[i]);
        hashes := hashes || prev;
        versions := versions || (cur + i);
    END LOOP;

    INSERT INTO {schema}.events (seq, stream_id, version, event_id, event_type, schema_version, data, recorded_at,
                                 occurred_on, actor_id, actor_role, correlation_id, causation_id, idempotency_key, hash, trace_parent)
    SELECT nextval('{schema}.event_seq'), p_stream, u.v, u.id, u.t, u.sv, u.d, p_recorded_at, u.o,
           p_actor_id, p_actor_role, p_correlation_id, p_causation_id, p_idempotency_key, u.h, p_trace_parent
      FROM unnest(versions, p_event_ids, p_types, p_schema_versions, p_data, p_occurred_on, hashes)
           WITH ORDINALITY AS u(v, id, t, sv, d, o, h, ord)
     ORDER BY u.ord;

    seq_last := currval('{schema}.event_seq');

    IF cur = 0 AND prev_tx IS NULL THEN
        INSERT INTO {schema}.streams (id, version, last_hash, last_tx, created_at, updated_at)
        VALUES (p_stream, cur + n, prev, me, p_recorded_at, p_recorded_at);
    ELSE
        UPDATE {schema}.streams SET version = cur + n, last_hash = prev, last_tx = me, updated_at = p_recorded_at
         WHERE id = p_stream AND version = cur;
        IF NOT FOUND THEN  -- unreachable while every writer takes the stream's advisory lock
            RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = format('stream %s moved during the append; retry', p_stream);
        END IF;
    END IF;

    IF p_idempotency_key IS NOT NULL THEN
        INSERT INTO {schema}.idempotency_keys (stream_id, key, request_hash, first_version, last_version, last_seq, created_at)
        VALUES (p_stream, p_idempotency_key, p_request_hash, cur + 1, cur + n, seq_last, p_recorded_at);
    END IF;

    RETURN QUERY SELECT 0, cur + 1, cur + n, seq_last;
END
$fn$;
