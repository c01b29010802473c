using Microsoft.Extensions.Logging;
using Npgsql;

namespace Oversight.Runtime;

/// <summary>
/// Wakes daemons and workers when there is new work. In-process writers signal directly; other nodes are
/// told through LISTEN/NOTIFY. Notifications are sent after commit, coalesced (at most one every few
/// milliseconds) and outside the writers' transactions: a NOTIFY inside an append would serialize every
/// committing writer on PostgreSQL's notification lock. Waiters always fall back to polling.
/// </summary>
public sealed partial class WakeSignal : IAsyncDisposable
{
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(3);
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _notifyRequested = new(0, 1);
    private TaskCompletionSource _wake = NewWake();
    private Task? _listener;
    private Task? _notifier;

    public WakeSignal(NpgsqlDataSource dataSource, string schema, ILogger<WakeSignal> logger)
    {
        _dataSource = dataSource;
        _channel = $"{schema}_wake";
        _logger = logger;
    }

    /// <summary>Starts listening for other nodes' notifications and sending this node's.</summary>
    public void Start()
    {
        _listener ??= Task.Run(ListenAsync);
        _notifier ??= Task.Run(NotifyAsync);
    }

    /// <summary>New work was committed by this process: wake local waiters and, shortly, other nodes.</summary>
    public void Signal()
    {
        WakeLocal();
        if (_notifyRequested.CurrentCount == 0)
        {
            try { _notifyRequested.Release(); }
            catch (SemaphoreFullException) { /* already requested */ }
        }
    }

    /// <summary>Completes when work may be available, or after <paramref name="timeout"/> (polling fallback).</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var wake = Volatile.Read(ref _wake).Task;
        try
        {
            await wake.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    private void WakeLocal() => Interlocked.Exchange(ref _wake, NewWake()).TrySetResult();

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task NotifyAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _notifyRequested.WaitAsync(_stop.Token);
                await Task.Delay(Coalesce, _stop.Token);
                await using var command = _dataSource.CreateCommand("SELECT pg_notify($1, '')");
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _channel });
                await command.ExecuteNonQueryAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException e)
            {
                LogNotifyFailed(_logger, e);
                await Delays.QuietlyAsync(TimeSpan.FromSeconds(1), _stop.Token);
            }
        }
    }

    private async Task ListenAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token);
                connection.Notification += (_, _) => WakeLocal();
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_channel}\"", connection))
                    await listen.ExecuteNonQueryAsync(_stop.Token);
                // Anything committed while we were not listening is found by the waiters' next poll.
                WakeLocal();
                while (!_stop.IsCancellationRequested) await connection.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                LogListenFailed(_logger, e);
                await Delays.QuietlyAsync(TimeSpan.FromSeconds(1), _stop.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var task in new[] { _listener, _notifier })
            if (task is not null) await task.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
        _notifyRequested.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send a wake-up notification; other nodes will poll.")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the LISTEN connection; polling until it is back.")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
