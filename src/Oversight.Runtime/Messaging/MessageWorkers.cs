using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Oversight.Runtime.Telemetry;

namespace Oversight.Runtime.Messaging;

/// <summary>A message a worker handled (for observers and tests).</summary>
public sealed record HandledMessage(Guid Id, string Handler, string MessageType, int Attempt);

/// <summary>
/// Delivers outbox messages to their handlers. A worker claims a batch of due rows with
/// <c>FOR UPDATE SKIP LOCKED</c> (so any number of workers on any number of nodes share the work) and handles
/// each in a savepoint of that one transaction: a handler's writes, its cascaded messages, the
/// handled-message record and the row's removal commit together. A crash rolls all of it back and the rows
/// are claimed again; a row whose id is already in the handled log is dropped, so no effect happens twice.
/// A failing handler's row is rescheduled with exponential backoff, then dead-lettered.
/// </summary>
public sealed partial class MessageWorkers : IAsyncDisposable
{
    private const int ClaimBatch = 32;
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(10);
    private readonly EventStore.EventStore _store;
    private readonly HandlerRegistry _handlers;
    private readonly MessageBus _bus;
    private readonly EventWriter _writer;
    private readonly RuntimeOptions _options;
    private readonly WakeSignal _wake;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly OutboxSql _sql;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;
    private readonly List<Task> _loops = [];

    public MessageWorkers(EventStore.EventStore store, HandlerRegistry handlers, MessageBus bus, EventWriter writer,
        RuntimeOptions options, WakeSignal wake, TimeProvider clock, ILogger<MessageWorkers> logger)
    {
        _store = store;
        _handlers = handlers;
        _bus = bus;
        _writer = writer;
        _options = options;
        _wake = wake;
        _clock = clock;
        _logger = logger;
        _sql = new OutboxSql(store.Schema);
    }

    /// <summary>Raised after a handled message's transaction commits.</summary>
    public event Action<HandledMessage>? Handled;

    /// <summary>Starts <see cref="RuntimeOptions.Workers"/> worker loops.</summary>
    public void Start()
    {
        for (var i = 0; i < _options.Workers; i++)
        {
            var pruner = i == 0;
            _loops.Add(Task.Run(() => LoopAsync(pruner, _stop.Token), CancellationToken.None));
        }
    }

    private async Task LoopAsync(bool pruner, CancellationToken stop)
    {
        var lastPrune = long.MinValue;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(stop) > 0) continue;
                if (pruner && (lastPrune == long.MinValue || _clock.GetElapsedTime(lastPrune) > PruneInterval))
                {
                    await PruneHandledAsync(stop);
                    lastPrune = _clock.GetTimestamp();
                }
                await _wake.WaitAsync(_options.PollInterval, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Delays.IsTransient(e))
            {
                LogOutage(_logger, e);
                await Delays.QuietlyAsync(_options.PollInterval, stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                // A worker loop must outlive any one failure (a bug, a message it cannot read): log it and keep serving.
                LogLoopFailed(_logger, e);
                await Delays.QuietlyAsync(_options.PollInterval, stop);
            }
        }
    }

    /// <summary>
    /// Claims and handles one batch of due messages; returns how many rows it settled (handled, dropped as
    /// already handled, retried or dead-lettered). The batch runs in one transaction; if any handler throws it
    /// is rolled back and its messages are handled one per transaction, so one failure costs the others nothing.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        List<ClaimedMessage> claimed;
        var handled = new List<HandledMessage>();
        (Guid Id, Exception Error)? failed = null;
        await using (var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            claimed = await ClaimAsync(connection, _sql.Claim, cancellationToken, Timestamp(now), new NpgsqlParameter<int> { TypedValue = ClaimBatch });
            if (claimed.Count == 0) return 0;
            try
            {
                var fresh = await SettleAsync(connection, claimed, now, cancellationToken);
                foreach (var row in claimed)
                {
                    if (!fresh.Contains(row.Id)) continue;
                    try
                    {
                        await HandleAsync(connection, row, now, cancellationToken);
                    }
                    catch (Exception e) when (!Delays.IsTransient(e) && !cancellationToken.IsCancellationRequested)
                    {
                        failed = (row.Id, e);
                        throw;
                    }
                    handled.Add(new HandledMessage(row.Id, row.Handler, row.MessageType, row.Attempts + 1));
                }
                await transaction.CommitAsync(cancellationToken);
            }
            catch (Exception) when (failed is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
                handled.Clear();
            }
        }
        if (failed is { } failure)
        {
            // A handler threw and the batch was undone: record that failure, and handle the others one by one
            // so a poison message costs them nothing.
            foreach (var row in claimed)
            {
                if (row.Id == failure.Id) await RecordFailureAsync(row.Id, failure.Error, now, cancellationToken);
                else if (await RunIsolatedAsync(row.Id, now, cancellationToken) is { } message) handled.Add(message);
            }
        }
        if (handled.Count > 0) _wake.Signal(); // handlers may have appended events or cascaded messages
        foreach (var message in handled) Notify(message);
        return claimed.Count;
    }

    /// <summary>One message in its own transaction, its handler in a savepoint so a failure can be recorded on the row it still holds.</summary>
    private async Task<HandledMessage?> RunIsolatedAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await ClaimAsync(connection, _sql.ClaimOne, cancellationToken, Uuid(id));
        if (rows.Count == 0) return null; // settled meanwhile by another worker
        var row = rows[0];
        HandledMessage? result = null;
        await transaction.SaveAsync("message", cancellationToken);
        try
        {
            if ((await SettleAsync(connection, rows, now, cancellationToken)).Count == 1)
            {
                await HandleAsync(connection, row, now, cancellationToken);
                result = new HandledMessage(row.Id, row.Handler, row.MessageType, row.Attempts + 1);
            }
        }
        catch (Exception e) when (!Delays.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            await transaction.RollbackAsync("message", cancellationToken);
            await FailAsync(connection, row, e, now, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task RecordFailureAsync(Guid id, Exception error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await ClaimAsync(connection, _sql.ClaimOne, cancellationToken, Uuid(id));
        if (rows.Count == 0) return;
        await FailAsync(connection, rows[0], error, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Records the messages as handled and removes them from the outbox (both undone if the transaction rolls
    /// back); returns the ids not handled before. The others are redeliveries, dropped without running again.
    /// </summary>
    private async Task<HashSet<Guid>> SettleAsync(NpgsqlConnection connection, List<ClaimedMessage> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_sql.Settle, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(r => r.Id)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Handler)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(Timestamp(now));
        var fresh = new HashSet<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) fresh.Add(reader.GetGuid(0));
        foreach (var row in rows.Where(r => !fresh.Contains(r.Id))) LogDuplicate(_logger, row.Id, row.Handler);
        return fresh;
    }

    private async Task HandleAsync(NpgsqlConnection connection, ClaimedMessage row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = RuntimeTelemetry.StartActivity($"handle {row.Handler}", ActivityKind.Consumer, row.TraceParent);
        activity?.SetTag(RuntimeTelemetry.Tags.Handler, row.Handler);
        activity?.SetTag(RuntimeTelemetry.Tags.MessageType, row.MessageType);
        activity?.SetTag(RuntimeTelemetry.Tags.MessageId, row.Id);
        activity?.SetTag(RuntimeTelemetry.Tags.Attempt, row.Attempts + 1);
        try
        {
            var handler = _handlers.Get(row.Handler);
            var message = handler.ForEvents
                ? _store.Types.Deserialize(row.MessageType, row.SchemaVersion, row.Body)
                : _handlers.MessageTypes.Deserialize(row.MessageType, row.SchemaVersion, row.Body);
            var context = new MessageContext(_writer, connection, row.Id, row.Handler, row.Attempts + 1, now, ParseHeaders(row.Headers), row.CorrelationId);
            var cascaded = await handler.Invoke(message, context, cancellationToken);
            // Cascades carry this span's context, so their handlers join the same trace.
            if (cascaded is not null && cascaded.Any())
                await _bus.EnqueueAsync(connection, cascaded, Activity.Current?.Id ?? row.TraceParent, row.CorrelationId, row.Id.ToString(), cancellationToken);
            RuntimeTelemetry.RecordHandled(row.Handler, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    private async Task FailAsync(NpgsqlConnection connection, ClaimedMessage row, Exception error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attempts = row.Attempts + 1;
        var reason = $"{error.GetType().Name}: {error.Message}";
        RuntimeTelemetry.RecordFailed(row.Handler);
        if (attempts >= _options.MessageAttempts)
        {
            await ExecuteAsync(connection, _sql.DeadLetter, cancellationToken,
                Uuid(row.Id), new NpgsqlParameter<int> { TypedValue = attempts }, new NpgsqlParameter<string> { TypedValue = reason }, Timestamp(now));
            RuntimeTelemetry.RecordDeadLettered(row.Handler);
            LogDeadLettered(_logger, row.Id, row.Handler, attempts, error);
            return;
        }
        var retryAt = now + _options.RetryDelay(attempts);
        await ExecuteAsync(connection, _sql.Retry, cancellationToken,
            Uuid(row.Id), new NpgsqlParameter<int> { TypedValue = attempts }, Timestamp(retryAt), new NpgsqlParameter<string> { TypedValue = reason });
        LogRetrying(_logger, row.Id, row.Handler, attempts, retryAt, error);
    }

    /// <summary>
    /// Moves dead-lettered messages back to the outbox with a fresh retry budget (after a fix): all of them,
    /// one handler's, or the given ids. Returns how many were re-queued.
    /// </summary>
    public async Task<int> ReplayDeadLettersAsync(string? handler = null, IReadOnlyList<Guid>? ids = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        var count = await ExecuteAsync(connection, _sql.ReplayDeadLetters, cancellationToken,
            Timestamp(_clock.GetUtcNow()),
            new NpgsqlParameter { Value = (object?)handler ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = ids is null ? DBNull.Value : ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        if (count > 0) _wake.Signal();
        return count;
    }

    private async Task PruneHandledAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, _sql.PruneHandled, cancellationToken, Timestamp(_clock.GetUtcNow() - _options.HandledMessageRetention));
    }

    private static async Task<List<ClaimedMessage>> ClaimAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        var rows = new List<ClaimedMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ClaimedMessage(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4),
                reader.GetString(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
        }
        return rows;
    }

    private static IReadOnlyDictionary<string, string?> ParseHeaders(string json)
    {
        using var document = JsonDocument.Parse(json);
        var headers = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
            headers[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => property.Value.GetString(),
                _ => property.Value.GetRawText(),
            };
        return headers;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter<Guid> Uuid(Guid id) => new() { TypedValue = id };
    private static NpgsqlParameter<DateTimeOffset> Timestamp(DateTimeOffset at) => new() { TypedValue = at, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private void Notify(HandledMessage message)
    {
        try
        {
            Handled?.Invoke(message);
        }
        catch (Exception e)
        {
            LogObserverFailed(_logger, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        await Task.WhenAll(_loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private sealed record ClaimedMessage(Guid Id, string Handler, string MessageType, int SchemaVersion, string Body, string Headers,
        int Attempts, string? TraceParent, string? CorrelationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} for {Handler} failed (attempt {Attempt}); retrying at {RetryAt}.")]
    private static partial void LogRetrying(ILogger logger, Guid messageId, string handler, int attempt, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} for {Handler} dead-lettered after {Attempts} attempts.")]
    private static partial void LogDeadLettered(ILogger logger, Guid messageId, string handler, int attempts, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} was already handled by {Handler}; dropped the redelivery.")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string handler);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message workers: database unavailable; retrying.")]
    private static partial void LogOutage(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message worker loop failed; it continues after a pause.")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Handled observer threw.")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception);
}
