-- Tables the HTTP write path owns, in the event store's schema so they commit with the events.

-- Idempotency-Key per caller: the first response is kept and returned again for every retry of the same
-- request; the same key with a different request is refused. Written in the command's transaction.
CREATE TABLE {schema}.api_idempotency (
    actor_id     text        NOT NULL,
    key          text        NOT NULL,
    request_hash bytea       NOT NULL,
    status       integer     NOT NULL,
    location     text,
    etag         text        NOT NULL,
    position     bigint      NOT NULL,
    body         text        NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (actor_id, key)
);

-- Numbers that must be unique across streams (permit numbers, plan accreditation numbers), claimed in the
-- transaction that appends the event introducing them.
CREATE TABLE {schema}.api_unique_numbers (
    kind      text NOT NULL,
    value     text NOT NULL,
    stream_id text NOT NULL,
    PRIMARY KEY (kind, value)
);
