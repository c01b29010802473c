using Oversight.EventStore;

namespace Oversight.Api.Infrastructure;

internal static class StoreRegistration
{
    /// <summary>The event store on ConnectionStrings:Oversight, migrated in the background at start.</summary>
    public static WebApplicationBuilder AddOversightStore(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Oversight");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("ConnectionStrings:Oversight is not configured (set ConnectionStrings__Oversight).");
        builder.Services.AddEventStore(connectionString, _ => { /* the domain registers its event types here (issue 4) */ },
            options => builder.Configuration.GetSection("EventStore").Bind(options));
        builder.Services.AddSingleton<SchemaState>();
        builder.Services.AddHostedService<SchemaMigrationService>();
        return builder;
    }
}
