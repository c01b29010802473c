using Microsoft.Extensions.Diagnostics.HealthChecks;
using Oversight.Api.Infrastructure;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;

namespace Oversight.Api.Health;

/// <summary>
/// Counts Wolverine's dead letters (follow-up messages that failed after their retries, ADR 9) in readiness: more than
/// <c>Health:MaxDeadLetters</c> mean follow-up work fails systematically and deadlines or referrals are not acted on, so readiness
/// reports <c>Degraded</c> naming them. Degraded, not unhealthy: the count is the database's, the same on every node, and taking
/// every node out of service would stop the writes and reads that still work; monitoring alerts on it, an operator answers with
/// <c>oversight dead-letters list|replay</c>. A negative threshold leaves them uncounted.
/// </summary>
internal sealed class DeadLettersReadyCheck(IWolverineRuntime runtime, IConfiguration configuration, SchemaState schema) : IHealthCheck
{
    public const int DefaultMax = 100;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var max = configuration.GetValue("Health:MaxDeadLetters", DefaultMax);
        if (max < 0) return HealthCheckResult.Healthy("dead letters not counted (Health:MaxDeadLetters < 0)");
        if (!schema.Migrated) return HealthCheckResult.Unhealthy("schema migration has not completed");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var count = (await runtime.Storage.DeadLetters.QueryAsync(new DeadLetterEnvelopeQuery { PageSize = 1 }, timeout.Token)).TotalCount;
            var data = new Dictionary<string, object> { ["deadLetters"] = count, ["maxDeadLetters"] = max };
            return count <= max
                ? HealthCheckResult.Healthy($"{count} dead letter(s), at most {max}", data)
                : HealthCheckResult.Degraded($"{count} dead letters, more than Health:MaxDeadLetters ({max}): see oversight dead-letters list", data: data);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("dead letters could not be counted (database unreachable)", e);
        }
    }
}
