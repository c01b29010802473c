using Microsoft.Extensions.Diagnostics.HealthChecks;
using Oversight.Api.Infrastructure;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;

namespace Oversight.Api.Health;

/// <summary>
/// Ready while Wolverine's dead letters (follow-up messages that failed after their retries, ADR 9) number at most
/// <c>Health:MaxDeadLetters</c>: a few wait for an operator (<c>oversight dead-letters list|replay</c>), more mean follow-up work
/// fails systematically and deadlines or referrals are not being acted on. A negative threshold leaves them out of readiness.
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
                : HealthCheckResult.Unhealthy($"{count} dead letters, more than Health:MaxDeadLetters ({max}): see oversight dead-letters list", data: data);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("dead letters could not be counted (database unreachable)", e);
        }
    }
}
