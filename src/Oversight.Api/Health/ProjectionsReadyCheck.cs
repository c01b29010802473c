using Microsoft.Extensions.Diagnostics.HealthChecks;
using Oversight.Api.Infrastructure;

namespace Oversight.Api.Health;

/// <summary>
/// Ready while no projection this node runs is paused on an event it cannot apply (ADR 8: failing events are never skipped,
/// so a paused shard means its read model stops short of the head until the cause is fixed and the shard restarted).
/// </summary>
internal sealed class ProjectionsReadyCheck(IServiceProvider services, SchemaState schema) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!schema.Migrated) return Task.FromResult(HealthCheckResult.Unhealthy("schema migration has not completed"));
        // No coordinator: this node runs no projections (Runtime:RunProjections=false).
        if (services.GetService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>() is not { } coordinator)
            return Task.FromResult(HealthCheckResult.Healthy("no projections on this node"));
        var paused = coordinator.DaemonForMainDatabase().CurrentAgents()
            .Where(a => a.Status == JasperFx.AgentStatus.Paused).Select(a => a.Name.Identity).ToList();
        return Task.FromResult(paused.Count == 0
            ? HealthCheckResult.Healthy("projections running")
            : HealthCheckResult.Unhealthy($"projection(s) paused on an event they cannot apply: {string.Join(", ", paused)}"));
    }
}
