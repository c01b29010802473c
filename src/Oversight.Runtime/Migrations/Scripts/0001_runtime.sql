-- Projection checkpoints and dead letters; the outbox, its dead letters and the handled-message log.
-- {schema} is the event store's schema: checkpoints commit atomically with read models in any schema.

CREATE TABLE {schema}.projections (
    name           text        PRIMARY KEY,
    -- Last applied position of the global order (transaction id, sequence): see the store's ADR 2.
    checkpoint_tx  xid8        NOT NULL DEFAULT '0',
    checkpoint_seq bigint      NOT NULL DEFAULT 0,
    status         text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'degraded')),
    leader         text,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE {schema}.projection_dead_letters (
    id          bigserial   PRIMARY KEY,
    projection  text        NOT NULL,
    seq         bigint      NOT NULL,
    tx_id       xid8        NOT NULL,
    stream_id   text        NOT NULL,
    version     bigint      NOT NULL,
    event_type  text        NOT NULL,
    error       text        NOT NULL,
    attempts    integer     NOT NULL,
    failed_at   timestamptz NOT NULL,
    resolved_at timestamptz,
    resolution  text,
    UNIQUE (projection, seq)
);

CREATE TABLE {schema}.outbox (
    id             uuid        PRIMARY KEY,
    handler        text        NOT NULL,
    message_type   text        NOT NULL,
    schema_version integer     NOT NULL,
    body           jsonb       NOT NULL,
    headers        jsonb       NOT NULL,
    deliver_at     timestamptz NOT NULL,
    attempts       integer     NOT NULL DEFAULT 0,
    last_error     text,
    trace_parent   text,
    correlation_id text,
    causation_id   text,
    created_at     timestamptz NOT NULL
);
CREATE INDEX outbox_due ON {schema}.outbox (deliver_at);

CREATE TABLE {schema}.message_dead_letters (
    id             uuid        PRIMARY KEY,
    handler        text        NOT NULL,
    message_type   text        NOT NULL,
    schema_version integer     NOT NULL,
    body           jsonb       NOT NULL,
    headers        jsonb       NOT NULL,
    attempts       integer     NOT NULL,
    error          text        NOT NULL,
    trace_parent   text,
    correlation_id text,
    causation_id   text,
    created_at     timestamptz NOT NULL,
    failed_at      timestamptz NOT NULL,
    replayed_at    timestamptz
);

-- A message's effects commit with its row here; a redelivered message (after a crash) is recognized and dropped.
CREATE TABLE {schema}.handled_messages (
    message_id uuid        PRIMARY KEY,
    handler    text        NOT NULL,
    handled_at timestamptz NOT NULL
);
