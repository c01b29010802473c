using System.Text.RegularExpressions;
using JasperFx;
using JasperFx.Events.Daemon;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Oversight.Persistence;

namespace Oversight.ReadModels.Storage;

/// <summary>
/// Marten's daemon pauses a shard on any failure its own retries do not get past — a PostgreSQL restart or failover
/// included — and under HotCold nothing starts it again. This restarts the shards (read models and the follow-up relay) that
/// paused on a database fault (<see cref="IsDatabaseFault"/>: connection lost, timeout, server shutdown) once the database answers; a shard
/// paused on an event it cannot apply stays paused (poison events are never skipped: ADR 8).
/// </summary>
public sealed partial class ProjectionRecovery(Marten.Events.Daemon.Coordination.IProjectionCoordinator coordinator, NpgsqlDataSource dataSource, ILogger<ProjectionRecovery> logger)
    : BackgroundService
{
    /// <summary>How often paused shards are looked for. Wall-clock on purpose: this is recovery from an outage, not business time.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var daemon = coordinator.DaemonForMainDatabase();
                var paused = daemon.CurrentAgents().Where(a => a.Status == AgentStatus.Paused && IsDatabaseFault(a.Failure)).ToList();
                if (paused.Count == 0) continue;
                await using (var connection = await dataSource.OpenConnectionAsync(stoppingToken)) { } // still away: try at the next tick
                foreach (var agent in paused)
                {
                    Restarting(logger, agent.Name.Identity, agent.Failure!.Message);
                    daemon.EjectPausedShard(agent.Name.Identity);
                    await daemon.StartAgentAsync(agent.Name, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Still away, or the daemon refused this start: try at the next tick. Never end the loop (that would stop the host).
                StillAway(logger, e.Message);
            }
        }
    }

    /// <summary>
    /// Whether a shard paused because the database was away rather than on an event: JasperFx's own transient verdict, a lost
    /// connection or timeout, or a PostgreSQL error that <see cref="DatabaseUnavailability"/> calls unavailability.
    /// </summary>
    public static bool IsDatabaseFault(ShardFailure? failure) =>
        failure is not null && (failure.IsTransient || (failure.RootExceptionType ?? failure.ExceptionType) switch
        {
            "System.IO.IOException" or "System.IO.EndOfStreamException" or "System.Net.Sockets.SocketException" or "System.TimeoutException"
                or "Npgsql.NpgsqlException" => true,
            // The daemon's own statements cancelled while the database did not answer (the host is not stopping: then nothing restarts).
            "System.Threading.Tasks.TaskCanceledException" or "System.OperationCanceledException" => true,
            "Npgsql.PostgresException" => SqlState().Match(failure.Message ?? "") is { Success: true } m && DatabaseUnavailability.IsUnavailableState(m.Groups[1].Value),
            _ => false,
        });

    /// <summary>The SQLSTATE a PostgresException's message starts with ("57P01: terminating connection …"), wherever it is wrapped.</summary>
    [GeneratedRegex(@"\b([0-9A-Z]{5}):")]
    private static partial Regex SqlState();

    [LoggerMessage(LogLevel.Information, "Restarting projection shard {Shard}, paused by a database fault: {Reason}")]
    private static partial void Restarting(ILogger logger, string shard, string reason);

    [LoggerMessage(LogLevel.Warning, "Paused projection shards not restarted yet: {Reason}")]
    private static partial void StillAway(ILogger logger, string reason);
}
