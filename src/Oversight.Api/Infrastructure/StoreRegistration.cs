using Oversight.Api.Writes;
using Oversight.EventStore;
using Oversight.ReadModels.CorrectionDeadlines;
using Oversight.ReadModels.PublicSanctions;
using Oversight.ReadModels.Storage;
using Oversight.Runtime;

namespace Oversight.Api.Infrastructure;

internal static class StoreRegistration
{
    /// <summary>
    /// The event store on ConnectionStrings:Oversight with the domain's event types, the runtime (projection
    /// daemon and message workers, section <c>Runtime</c>) and the write path; migrated and started in the background.
    /// </summary>
    public static WebApplicationBuilder AddOversightStore(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Oversight");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("ConnectionStrings:Oversight is not configured (set ConnectionStrings__Oversight).");
        builder.Services.AddEventStore(connectionString, types => types.RegisterDomainEvents(),
            options => builder.Configuration.GetSection("EventStore").Bind(options));
        builder.Services.AddEventRuntime(runtime =>
        {
            builder.Configuration.GetSection("Runtime").Bind(runtime.Options);
            runtime.Projections.Add(new PublicSanctionsProjection());
            runtime.Handlers.AddCorrectionDeadlines();
        });
        builder.Services.AddSingleton<WriteExecutor>();
        builder.Services.AddSingleton<SchemaState>();
        builder.Services.AddHostedService<SchemaMigrationService>();
        return builder;
    }
}
