using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine.Marten;

namespace Oversight.ReadModels.FollowUps;

/// <summary>
/// Claims the deadlines the business clock has reached and hands each to Wolverine through the Marten outbox: the claim
/// (a delete) and the outgoing messages commit together, so a deadline becomes exactly one durable message, which
/// Wolverine handles with its retries and dead letters. Several nodes may poll: rows are claimed with SKIP LOCKED.
/// </summary>
public sealed partial class DeadlinePoller(IDocumentStore store, IServiceScopeFactory scopes, TimeProvider clock, DeadlineOptions options,
    IHostApplicationLifetime lifetime, ILogger<DeadlinePoller> logger)
    : BackgroundService
{
    private static readonly Dictionary<string, Type> Kinds = new(StringComparer.Ordinal)
    {
        [nameof(CheckCorrectionOrderDue)] = typeof(CheckCorrectionOrderDue),
        [nameof(CheckInspectionDue)] = typeof(CheckInspectionDue),
        [nameof(CheckPermitExpiry)] = typeof(CheckPermitExpiry),
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Wolverine's runtime starts as a hosted service of its own: publishing before the host has started fails.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ClaimDueAsync(stoppingToken) == options.BatchSize) { }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPollFailed(logger, e);
            }
            await Task.Delay(options.PollInterval, stoppingToken);
        }
    }

    /// <summary>Claims up to a batch of due deadlines and publishes their checks; returns how many were claimed.</summary>
    public async Task<int> ClaimDueAsync(CancellationToken cancellationToken)
    {
        // A fresh outbox per claim: it collects this transaction's messages and sends them after its commit.
        await using var scope = scopes.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
        await using var session = store.LightweightSession();
        outbox.Enroll(session);
        await session.BeginTransactionAsync(cancellationToken);
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var command = new NpgsqlCommand(
            $"""
            WITH due AS (SELECT kind, subject, due_at FROM "{schema}".{Deadlines.Table} WHERE due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            DELETE FROM "{schema}".{Deadlines.Table} d USING due
             WHERE d.kind = due.kind AND d.subject = due.subject AND d.due_at = due.due_at
            RETURNING d.kind, d.payload::text
            """, session.Connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.BatchSize });
        var claimed = new List<object>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                if (Kinds.TryGetValue(reader.GetString(0), out var type))
                    claimed.Add(store.Options.Serializer().FromJson(type, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(reader.GetString(1)))));
        }
        if (claimed.Count == 0) return 0;
        foreach (var check in claimed) await outbox.PublishAsync(check);
        await session.SaveChangesAsync(cancellationToken);
        return claimed.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming due deadlines failed; retrying at the next poll.")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}

public sealed class DeadlineOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public int BatchSize { get; set; } = 100;
}
