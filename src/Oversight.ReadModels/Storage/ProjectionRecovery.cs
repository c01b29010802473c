using JasperFx;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Oversight.ReadModels.Storage;

/// <summary>
/// Marten's daemon pauses a shard on any failure its own retries do not get past — a PostgreSQL restart or failover
/// included — and under HotCold nothing starts it again. This restarts the shards (read models and the follow-up relay) that
/// paused on a transient fault (<c>ShardFailure.IsTransient</c>: connection lost, timeout) once the database answers; a shard
/// paused on an event it cannot apply stays paused (poison events are never skipped: ADR 8).
/// </summary>
internal sealed partial class ProjectionRecovery(IProjectionCoordinator coordinator, NpgsqlDataSource dataSource, ILogger<ProjectionRecovery> logger)
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
                var paused = daemon.CurrentAgents().Where(a => a.Status == AgentStatus.Paused && a.Failure is { IsTransient: true }).ToList();
                if (paused.Count == 0) continue;
                await using (var connection = await dataSource.OpenConnectionAsync(stoppingToken)) { } // still away: try at the next tick
                foreach (var agent in paused)
                {
                    Restarting(logger, agent.Name.Identity, agent.Failure!.Message);
                    daemon.EjectPausedShard(agent.Name.Identity);
                    await daemon.StartAgentAsync(agent.Name, stoppingToken);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                StillAway(logger, e.Message);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Restarting projection shard {Shard}, paused on a transient fault: {Reason}")]
    private static partial void Restarting(ILogger logger, string shard, string reason);

    [LoggerMessage(LogLevel.Debug, "Paused projection shards not restarted yet: {Reason}")]
    private static partial void StillAway(ILogger logger, string reason);
}
