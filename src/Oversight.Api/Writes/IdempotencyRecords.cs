using Npgsql;
using NpgsqlTypes;

namespace Oversight.Api.Writes;

/// <summary>A stored first response to a keyed write.</summary>
internal sealed record IdempotencyRecord(byte[] RequestHash, int Status, string? Location, string ETag, long Position, string Body);

/// <summary>Reads and writes <c>api_idempotency</c> inside the command's transaction.</summary>
internal static class IdempotencyRecords
{
    /// <summary>
    /// Serializes requests of one caller with one key (transaction-scoped advisory lock), then reads the stored
    /// response. A concurrent duplicate waits here until the first commits, and then finds its response.
    /// </summary>
    public static async Task<IdempotencyRecord?> LockAndFindAsync(NpgsqlConnection connection, string schema, string actorId, string key,
        CancellationToken cancellationToken)
    {
        // Two statements: in READ COMMITTED the second takes its snapshot after the lock is granted.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 9457))")
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = $"{schema}\n{actorId}\n{key}" } },
                },
                new NpgsqlBatchCommand($"SELECT request_hash, status, location, etag, position, body FROM \"{schema}\".api_idempotency WHERE actor_id = $1 AND key = $2")
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = actorId }, new NpgsqlParameter<string> { TypedValue = key } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new IdempotencyRecord(reader.GetFieldValue<byte[]>(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetString(3), reader.GetInt64(4), reader.GetString(5));
    }

    /// <summary>False when a concurrent request with the same key committed first (this transaction must then roll back).</summary>
    public static async Task<bool> TryInsertAsync(NpgsqlConnection connection, string schema, string actorId, string key, IdempotencyRecord record,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO "{schema}".api_idempotency (actor_id, key, request_hash, status, location, etag, position, body, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actorId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = record.RequestHash });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = record.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)record.Location ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.ETag });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = record.Position });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Body });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
