using Microsoft.Extensions.Diagnostics.HealthChecks;
using Oversight.Api.Infrastructure;
using Oversight.Runtime.Projections;

namespace Oversight.Api.Health;

/// <summary>Ready while no projection holds more dead-lettered events than <c>Health:MaxDeadLetters</c> (default 10): past that, its read model is wrong.</summary>
internal sealed class ProjectionsReadyCheck(ProjectionDaemon daemon, SchemaState schema, IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!schema.Migrated) return HealthCheckResult.Unhealthy("schema migration has not completed");
        var threshold = configuration.GetValue("Health:MaxDeadLetters", 10);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var statuses = await daemon.GetStatusAsync(timeout.Token);
            var failing = statuses.Where(s => s.OpenDeadLetters > threshold).ToList();
            var data = statuses.ToDictionary(s => s.Name, s => (object)new { s.State, s.LagEvents, s.OpenDeadLetters });
            return failing.Count == 0
                ? HealthCheckResult.Healthy($"{statuses.Count} projection(s) within {threshold} dead letter(s)", data)
                : HealthCheckResult.Unhealthy($"dead letters above {threshold}: {string.Join(", ", failing.Select(f => $"{f.Name} ({f.OpenDeadLetters})"))}", data: data);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("projection status unavailable", e);
        }
    }
}
