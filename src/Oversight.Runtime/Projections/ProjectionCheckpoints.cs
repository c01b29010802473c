using Npgsql;
using NpgsqlTypes;
using Oversight.EventStore;

namespace Oversight.Runtime.Projections;

/// <summary>The projections table: checkpoints, status, leader, and the projection dead letters.</summary>
internal sealed class ProjectionCheckpoints(string schema)
{
    private readonly string _projections = $"\"{schema}\".projections";
    private readonly string _deadLetters = $"\"{schema}\".projection_dead_letters";

    public async Task EnsureAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {_projections} (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The checkpoint as committed (no lock).</summary>
    public Task<GlobalPosition> ReadAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken) =>
        QueryPositionAsync(connection, $"SELECT checkpoint_tx, checkpoint_seq FROM {_projections} WHERE name = $1", name, cancellationToken);

    /// <summary>Locks the projection's row for this transaction: one writer of a projection's read model at a time.</summary>
    public Task<GlobalPosition> LockAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken) =>
        QueryPositionAsync(connection, $"SELECT checkpoint_tx, checkpoint_seq FROM {_projections} WHERE name = $1 FOR UPDATE", name, cancellationToken);

    public async Task AdvanceAsync(NpgsqlConnection connection, string name, GlobalPosition position, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE {_projections} SET checkpoint_tx = $2::text::xid8, checkpoint_seq = $3, updated_at = now() WHERE name = $1", connection);
        AddNameAndPosition(command, name, position);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SetLeaderAsync(NpgsqlConnection connection, string name, string? node, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"UPDATE {_projections} SET leader = $2 WHERE name = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)node ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records an event the projection could not apply, moves past it, and marks the projection degraded.</summary>
    public async Task DeadLetterAsync(NpgsqlConnection connection, string name, RecordedEvent e, Exception error, int attempts,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    $"INSERT INTO {_deadLetters} (projection, seq, tx_id, stream_id, version, event_type, error, attempts, failed_at) " +
                    "VALUES ($1, $2, $3::text::xid8, $4, $5, $6, $7, $8, $9) ON CONFLICT (projection, seq) DO UPDATE SET error = excluded.error, " +
                    "attempts = excluded.attempts, failed_at = excluded.failed_at, resolved_at = NULL, resolution = NULL")
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = name },
                        new NpgsqlParameter<long> { TypedValue = e.Sequence },
                        new NpgsqlParameter<string> { TypedValue = e.TransactionId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        new NpgsqlParameter<string> { TypedValue = e.StreamId },
                        new NpgsqlParameter<long> { TypedValue = e.Version },
                        new NpgsqlParameter<string> { TypedValue = e.EventType },
                        new NpgsqlParameter<string> { TypedValue = $"{error.GetType().Name}: {error.Message}" },
                        new NpgsqlParameter<int> { TypedValue = attempts },
                        new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
                    },
                },
                new NpgsqlBatchCommand($"UPDATE {_projections} SET status = 'degraded', updated_at = now() WHERE name = $1")
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = name } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await AdvanceAsync(connection, name, e.Position, cancellationToken);
    }

    /// <summary>Unresolved dead letters of a projection, oldest first.</summary>
    public async Task<IReadOnlyList<(long Id, long Sequence, ulong TransactionId)>> UnresolvedAsync(NpgsqlConnection connection, string name,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT id, seq, tx_id FROM {_deadLetters} WHERE projection = $1 AND resolved_at IS NULL ORDER BY tx_id, seq", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        var result = new List<(long, long, ulong)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<ulong>(2)));
        return result;
    }

    public async Task RecordReplayFailureAsync(NpgsqlConnection connection, long id, Exception error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE {_deadLetters} SET error = $2, attempts = attempts + 1, failed_at = $3 WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{error.GetType().Name}: {error.Message}" });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ResolveAsync(NpgsqlConnection connection, long id, string resolution, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"UPDATE {_deadLetters} SET resolved_at = $2, resolution = $3 WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = resolution });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks every open dead letter resolved (a rebuild re-applied them) and the projection running again.</summary>
    public async Task ResolveAllAsync(NpgsqlConnection connection, string name, string resolution, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"UPDATE {_deadLetters} SET resolved_at = $2, resolution = $3 WHERE projection = $1 AND resolved_at IS NULL")
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = name },
                        new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
                        new NpgsqlParameter<string> { TypedValue = resolution },
                    },
                },
                new NpgsqlBatchCommand($"UPDATE {_projections} SET status = 'running', updated_at = now() WHERE name = $1")
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = name } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkRunningIfResolvedAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE {_projections} SET status = 'running', updated_at = now() WHERE name = $1 " +
            $"AND NOT EXISTS (SELECT 1 FROM {_deadLetters} WHERE projection = $1 AND resolved_at IS NULL)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<(string Name, GlobalPosition Checkpoint, string Status, string? Leader, long DeadLetters)>> AllAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT p.name, p.checkpoint_tx, p.checkpoint_seq, p.status, p.leader, " +
            $"(SELECT count(*) FROM {_deadLetters} d WHERE d.projection = p.name AND d.resolved_at IS NULL) FROM {_projections} p ORDER BY p.name", connection);
        var result = new List<(string, GlobalPosition, string, string?, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result.Add((reader.GetString(0), new GlobalPosition(reader.GetFieldValue<ulong>(1), reader.GetInt64(2)), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt64(5)));
        return result;
    }

    private static async Task<GlobalPosition> QueryPositionAsync(NpgsqlConnection connection, string sql, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) throw new InvalidOperationException($"Projection '{name}' has no checkpoint row.");
        return new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1));
    }

    private static void AddNameAndPosition(NpgsqlCommand command, string name, GlobalPosition position)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = position.TransactionId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = position.Sequence });
    }
}
