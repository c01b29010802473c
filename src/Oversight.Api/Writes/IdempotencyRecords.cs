using System.Data.Common;
using Weasel.Storage;
using Marten.Linq.QueryHandlers;
using Npgsql;
using NpgsqlTypes;
using Oversight.Persistence.Projections;
using Weasel.Postgresql;

namespace Oversight.Api.Writes;

/// <summary>A stored first response to a keyed write.</summary>
internal sealed record IdempotencyRecord(byte[] RequestHash, int Status, string? Location, string ETag, long Position, string Body);

/// <summary>
/// Reads and writes <c>api_idempotency</c> inside the command's transaction, without round trips of their own: the lookup
/// travels with the command's first stream read, the record with Marten's append batch (ADR 12). A concurrent duplicate is
/// stopped by the table's key: its insert waits for the first writer's commit, fails, and the retry replays the stored answer.
/// </summary>
internal static class IdempotencyRecords
{
    /// <summary>The stored response for one caller's key, as a statement of a Marten batch query.</summary>
    public sealed class Lookup(string schema, string actorId, string key) : IQueryHandler<IdempotencyRecord?>
    {
        public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
        {
            builder.Append($"SELECT request_hash, status, location, etag, position, body FROM \"{schema}\".api_idempotency WHERE actor_id = ");
            builder.AppendParameter(actorId);
            builder.Append(" AND key = ");
            builder.AppendParameter(key);
        }

        public async Task<IdempotencyRecord?> HandleAsync(DbDataReader reader, IStorageSession session, CancellationToken token)
        {
            if (!await reader.ReadAsync(token)) return null;
            return new IdempotencyRecord(reader.GetFieldValue<byte[]>(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetInt64(4), reader.GetString(5));
        }

        public Task<int> StreamJson(Stream stream, DbDataReader reader, CancellationToken token) => throw new NotSupportedException();
    }

    /// <summary>The stored response alone (one round trip), when no stream read could carry the lookup.</summary>
    public static async Task<IdempotencyRecord?> FindAsync(Marten.IQuerySession session, Lookup lookup, CancellationToken cancellationToken)
    {
        var batch = session.CreateBatchQuery();
        var stored = batch.AddItem(lookup);
        await batch.Execute(cancellationToken);
        return await stored;
    }

    /// <summary>Thrown by the command's first read when the key already has a stored response: the executor replays it.</summary>
    public sealed class FoundException(IdempotencyRecord record) : Exception("The Idempotency-Key already has a stored response.")
    {
        public IdempotencyRecord Record { get; } = record;
    }

    /// <summary>
    /// The record as a statement of the session's batch, after the appends (Marten runs event operations first): the status,
    /// location and ETag of <paramref name="record"/>; the body is <paramref name="bodyBefore"/>, the position, <paramref name="bodyAfter"/>; the position is the last event sequence number
    /// this transaction drew (<c>currval</c>: the append function draws them in order), or 0 when nothing was appended.
    /// No ON CONFLICT: a concurrent duplicate fails here and rolls back everything it would have written.
    /// </summary>
    public static BatchCommandOperation Insert(string schema, string actorId, string key, IdempotencyRecord record, string bodyBefore, string bodyAfter,
        bool appended, DateTimeOffset now)
    {
        var position = appended ? $"currval('\"{schema}\".mt_events_sequence')" : "0::bigint";
        var command = new NpgsqlBatchCommand(
            $"""
            INSERT INTO "{schema}".api_idempotency (actor_id, key, request_hash, status, location, etag, position, body, created_at)
            SELECT $1, $2, $3, $4, $5, $6, p.position, $7 || p.position || $8, $9 FROM (SELECT {position} AS position) p
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = actorId },
                new NpgsqlParameter<string> { TypedValue = key },
                new NpgsqlParameter<byte[]> { TypedValue = record.RequestHash },
                new NpgsqlParameter<int> { TypedValue = record.Status },
                new NpgsqlParameter { Value = (object?)record.Location ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter<string> { TypedValue = record.ETag },
                new NpgsqlParameter<string> { TypedValue = bodyBefore },
                new NpgsqlParameter<string> { TypedValue = bodyAfter },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
            },
        };
        return new BatchCommandOperation(command);
    }
}
