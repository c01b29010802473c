using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using Oversight.EventStore;
using Oversight.Runtime.Telemetry;

namespace Oversight.Runtime.Projections;

/// <summary>
/// Runs the async projections. Each projection is led by one node at a time through a session-level
/// advisory lock held on a dedicated connection; when that node dies its connection closes, the lock is
/// released and another node takes over on its next attempt (<see cref="RuntimeOptions.LeadershipRetryInterval"/>).
/// Correctness does not rest on leadership: every batch commits with its checkpoint under the projection's
/// row lock (see <see cref="ProjectionRunner"/>), so even two appliers could not apply an event twice.
/// </summary>
public sealed partial class ProjectionDaemon : IAsyncDisposable
{
    private readonly EventStore.EventStore _store;
    private readonly ProjectionRegistry _projections;
    private readonly RuntimeOptions _options;
    private readonly WakeSignal _wake;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ProjectionCheckpoints _checkpoints;
    private readonly string _readModelSchema;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<string, bool> _leading = new();
    private TaskCompletionSource _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ProjectionDaemon(EventStore.EventStore store, ProjectionRegistry projections, RuntimeOptions options, WakeSignal wake,
        TimeProvider clock, ILogger<ProjectionDaemon> logger)
    {
        _store = store;
        _projections = projections;
        _options = options;
        _wake = wake;
        _clock = clock;
        _logger = logger;
        _checkpoints = new ProjectionCheckpoints(store.Schema);
        _readModelSchema = options.ValidatedReadModelSchema();
    }

    /// <summary>Raised after a batch commits on this node (metrics, tests, read-your-writes waits).</summary>
    public event Action<ProjectionBatch>? BatchApplied;

    /// <summary>Projections this node currently leads.</summary>
    public IReadOnlyCollection<string> Leading => _leading.Where(l => l.Value).Select(l => l.Key).ToList();

    /// <summary>Creates checkpoint rows and live tables for every projection (idempotent, safe from several nodes).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        foreach (var projection in _projections.All)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection))
            {
                lockCommand.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"create:{_readModelSchema}:{projection.Name}" });
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var schema = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{_readModelSchema}\"", connection))
                await schema.ExecuteNonQueryAsync(cancellationToken);
            await _checkpoints.EnsureAsync(connection, projection.Name, cancellationToken);
            await projection.CreateTablesAsync(new ProjectionContext(connection, _readModelSchema, rebuilding: false), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>Starts competing for leadership of every async projection, and the lag monitor.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        foreach (var projection in _projections.Async)
        {
            var runner = new ProjectionRunner(projection, _store, _checkpoints, _options, _readModelSchema, _clock, _logger);
            _loops.Add(Task.Run(() => LeadAsync(runner, _stop.Token), CancellationToken.None));
        }
        _loops.Add(Task.Run(() => MonitorAsync(_stop.Token), CancellationToken.None));
    }

    private async Task LeadAsync(ProjectionRunner runner, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var lockConnection = await _store.DataSource.OpenConnectionAsync(stop);
                if (!await TryLockAsync(lockConnection, runner.Name, stop))
                {
                    await Delays.QuietlyAsync(_options.LeadershipRetryInterval, stop);
                    continue;
                }
                // A pooled connection outlives its use here: release the lock before it goes back to the pool.
                // (If this process dies, its sessions end and PostgreSQL releases the lock by itself.)
                await using var release = new AdvisoryLockRelease(lockConnection);
                _leading[runner.Name] = true;
                await _checkpoints.SetLeaderAsync(lockConnection, runner.Name, _options.NodeId, stop);
                LogLeading(_logger, _options.NodeId, runner.Name);
                var lastCheck = _clock.GetTimestamp();
                while (!stop.IsCancellationRequested)
                {
                    var batch = await runner.RunBatchAsync(stop);
                    if (batch is not null)
                    {
                        OnApplied(batch);
                        continue;
                    }
                    // Idle: confirm we still hold the lock's connection, then wait for work.
                    if (_clock.GetElapsedTime(lastCheck) > TimeSpan.FromSeconds(5))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", lockConnection);
                        await ping.ExecuteScalarAsync(stop);
                        lastCheck = _clock.GetTimestamp();
                    }
                    await _wake.WaitAsync(_options.PollInterval, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Delays.IsTransient(e))
            {
                LogOutage(_logger, runner.Name, e);
                await Delays.QuietlyAsync(_options.ProjectionRetryDelay, stop);
            }
            finally
            {
                _leading[runner.Name] = false;
            }
        }
    }

    private async Task<bool> TryLockAsync(NpgsqlConnection connection, string projection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"projection:{_store.Schema}:{projection}" });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private void OnApplied(ProjectionBatch batch)
    {
        Interlocked.Exchange(ref _applied, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        try
        {
            BatchApplied?.Invoke(batch);
        }
        catch (Exception e)
        {
            LogObserverFailed(_logger, e);
        }
    }

    /// <summary>Publishes lag for the projections this node leads, once a second.</summary>
    private async Task MonitorAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                foreach (var status in await GetStatusAsync(stop))
                {
                    if (_leading.TryGetValue(status.Name, out var leading) && leading)
                        RuntimeTelemetry.RecordLag(status.Name, status.LagEvents, status.LagSeconds);
                    else
                        RuntimeTelemetry.ForgetLag(status.Name);
                }
            }
            catch (Exception e) when (Delays.IsTransient(e))
            {
                LogOutage(_logger, "monitor", e);
            }
            await Delays.QuietlyAsync(TimeSpan.FromSeconds(1), stop);
        }
    }

    /// <summary>Every projection's checkpoint, lag (events and seconds behind the head), state and leader.</summary>
    public async Task<IReadOnlyList<ProjectionStatus>> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        var head = await _store.ReadLastSequenceAsync(cancellationToken);
        var result = new List<ProjectionStatus>();
        foreach (var (name, checkpoint, state, leader, deadLetters) in await _checkpoints.AllAsync(connection, cancellationToken))
        {
            var oldestPending = await OldestPendingAsync(connection, checkpoint, cancellationToken);
            var seconds = oldestPending is { } recordedAt ? Math.Max(0, (_clock.GetUtcNow() - recordedAt).TotalSeconds) : 0;
            var lagEvents = oldestPending is null ? 0 : Math.Max(1, head - checkpoint.Sequence);
            result.Add(new ProjectionStatus(name, checkpoint, head, lagEvents, seconds, state, leader, deadLetters));
        }
        return result;
    }

    /// <summary>
    /// Read-your-writes: waits (bounded) until <paramref name="projection"/> has applied the event at
    /// <paramref name="sequence"/>. Returns false on timeout, or if no such event was committed.
    /// </summary>
    public async Task<bool> WaitForSequenceAsync(string projection, long sequence, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await using var connection = await _store.DataSource.OpenConnectionAsync(deadline.Token);
            ulong? transactionId = null;
            while (true)
            {
                var applied = Volatile.Read(ref _applied).Task;
                transactionId ??= await TransactionOfAsync(connection, sequence, deadline.Token);
                if (transactionId is { } tx && await _checkpoints.ReadAsync(connection, projection, deadline.Token) >= new GlobalPosition(tx, sequence))
                    return true;
                // Woken by a local batch, or poll (the projection may be led by another node).
                await applied.WaitAsync(TimeSpan.FromMilliseconds(25), deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// When the first committed event after a checkpoint was recorded (null when there is none). Unlike the
    /// gap-safe reader this also sees commits that wait behind an older open transaction: they are lag too.
    /// </summary>
    private async Task<DateTimeOffset?> OldestPendingAsync(NpgsqlConnection connection, GlobalPosition checkpoint, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT recorded_at FROM \"{_store.Schema}\".events WHERE (tx_id, seq) > ($1, $2) ORDER BY tx_id, seq LIMIT 1", connection);
        command.Parameters.Add(new NpgsqlParameter<ulong> { TypedValue = checkpoint.TransactionId, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Xid8 });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = checkpoint.Sequence });
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DateTime utc ? new DateTimeOffset(utc, TimeSpan.Zero) : value as DateTimeOffset?;
    }

    private async Task<ulong?> TransactionOfAsync(NpgsqlConnection connection, long sequence, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT tx_id FROM \"{_store.Schema}\".events WHERE seq = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : (ulong)value;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} now leads projection {Projection}.")]
    private static partial void LogLeading(ILogger logger, string node, string projection);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projection {Projection}: database unavailable; retrying.")]
    private static partial void LogOutage(ILogger logger, string projection, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A BatchApplied observer threw.")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception);
}
