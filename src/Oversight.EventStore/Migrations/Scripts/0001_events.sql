-- Streams, events and idempotency keys. {schema} is replaced by the configured, quoted schema name.

CREATE TABLE {schema}.streams (
    id          text        PRIMARY KEY,
    version     bigint      NOT NULL,
    -- Hash of the stream's last event: the next append chains to it without reading the events table.
    last_hash   bytea       NOT NULL,
    -- Transaction that last wrote the stream. Appends refuse to write with an older transaction id, so a
    -- stream's events are in version order when read in (tx_id, seq) order.
    last_tx     xid8        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
) WITH (fillfactor = 70);  -- room for HOT updates: every append rewrites its stream's head

CREATE SEQUENCE {schema}.event_seq AS bigint START 1 CACHE 1;

CREATE TABLE {schema}.events (
    seq             bigint      NOT NULL DEFAULT nextval('{schema}.event_seq') PRIMARY KEY,
    tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id       text        NOT NULL,
    version         bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL,
    data            jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL,
    occurred_on     date,
    actor_id        text,
    actor_role      text,
    correlation_id  text,
    causation_id    text,
    idempotency_key text,
    hash            bytea       NOT NULL,
    -- W3C trace context of the work that appended the event, so projection and handler spans join its trace.
    -- Operational metadata: not part of the hash chain (it is not evidence, and imports have none).
    trace_parent    text,
    CONSTRAINT events_stream_version UNIQUE (stream_id, version),
    CONSTRAINT events_event_id UNIQUE (event_id)
);

-- The forward reader's order: committed transactions below the snapshot's xmin, then sequence.
CREATE INDEX events_tx_seq ON {schema}.events (tx_id, seq);

CREATE TABLE {schema}.idempotency_keys (
    stream_id     text        NOT NULL,
    key           text        NOT NULL,
    request_hash  bytea       NOT NULL,
    first_version bigint      NOT NULL,
    last_version  bigint      NOT NULL,
    last_seq      bigint      NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (stream_id, key)
);
