using Microsoft.Extensions.Diagnostics.HealthChecks;
using Oversight.Api.Infrastructure;
using Oversight.ReadModels.Storage;

namespace Oversight.Api.Health;

/// <summary>
/// Ready while no projection this node runs is paused on an event it cannot apply (ADR 8: failing events are never skipped,
/// so a paused shard means its read model stops short of the head until the cause is fixed and the shard restarted). Shards
/// paused by a database fault are restarted by <c>ProjectionRecovery</c> when the database answers again.
/// </summary>
internal sealed class ProjectionsReadyCheck(IServiceProvider services, SchemaState schema) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!schema.Migrated) return Task.FromResult(HealthCheckResult.Unhealthy("schema migration has not completed"));
        // No coordinator: this node runs no projections (Runtime:RunProjections=false).
        if (services.GetService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>() is not { } coordinator)
            return Task.FromResult(HealthCheckResult.Healthy("no projections on this node"));
        var paused = coordinator.DaemonForMainDatabase().CurrentAgents().Where(a => a.Status == JasperFx.AgentStatus.Paused).ToList();
        if (paused.Count == 0) return Task.FromResult(HealthCheckResult.Healthy("projections running"));
        var poisoned = paused.Where(a => !ProjectionRecovery.IsDatabaseFault(a.Failure)).Select(a => $"{a.Name.Identity} ({a.Failure?.Message})").ToList();
        return Task.FromResult(HealthCheckResult.Unhealthy(poisoned.Count > 0
            ? $"projection(s) paused on an event they cannot apply: {string.Join(", ", poisoned)}"
            : $"projection(s) paused by a database fault, restarting when it answers: {string.Join(", ", paused.Select(a => a.Name.Identity))}"));
    }
}
