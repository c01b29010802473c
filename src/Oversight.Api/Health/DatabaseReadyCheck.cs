using Microsoft.Extensions.Diagnostics.HealthChecks;
using Oversight.Api.Infrastructure;

namespace Oversight.Api.Health;

/// <summary>Ready when the database answers and this node has brought the schema up to date.</summary>
internal sealed class DatabaseReadyCheck(Npgsql.NpgsqlDataSource dataSource, SchemaState schema) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!schema.Migrated) return HealthCheckResult.Unhealthy("schema migration has not completed");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("database reachable, schema current");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("database unreachable", e);
        }
    }
}
