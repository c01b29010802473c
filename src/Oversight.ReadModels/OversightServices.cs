using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oversight.EventStore;
using Oversight.ReadModels.Deadlines;
using Oversight.ReadModels.PublicSanctions;
using Oversight.ReadModels.Referrals;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.Statistics;
using Oversight.ReadModels.Storage;
using Oversight.Runtime;

namespace Oversight.ReadModels;

/// <summary>The service's storage composed once for every host (API, CLI, benchmarks): event types, projections, handlers.</summary>
public static class OversightServices
{
    /// <summary>
    /// The store on <paramref name="connectionString"/> (section <c>EventStore</c>) with the domain's event types, and the
    /// runtime (section <c>Runtime</c>) with every projection and handler. <paramref name="configureRuntime"/> may override options.
    /// </summary>
    public static IServiceCollection AddOversightStorage(this IServiceCollection services, string connectionString, IConfiguration configuration,
        Action<RuntimeOptions>? configureRuntime = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var risk = configuration.GetSection("Risk").Get<RiskOptions>() ?? new RiskOptions();
        services.AddSingleton(risk);
        services.AddEventStore(connectionString, types => types.RegisterDomainEvents(), options => configuration.GetSection("EventStore").Bind(options));
        services.AddEventRuntime(runtime =>
        {
            configuration.GetSection("Runtime").Bind(runtime.Options);
            configureRuntime?.Invoke(runtime.Options);
            runtime.Projections.Add(new RuntimeSqlProjection(new PublicSanctionsProjection()));
            runtime.Projections.Add(new RuntimeSqlProjection(new StatisticsProjection()));
            runtime.Projections.Add(new RuntimeSqlProjection(new RiskProjection(risk)));
            runtime.Handlers.AddCorrectionDeadlines().AddInspectionDeadlines().AddTraffickingReferrals();
        });
        return services;
    }
}
