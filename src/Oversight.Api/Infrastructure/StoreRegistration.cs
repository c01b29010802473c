using Oversight.Api.Writes;
using Oversight.ReadModels;

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
        builder.Services.AddOversightStorage(connectionString, builder.Configuration);
        builder.Services.AddSingleton<WriteExecutor>();
        builder.Services.AddSingleton<Statistics.StatisticsContext>();
        builder.Services.AddSingleton(sp => ReadModelDatabase.Create(builder.Configuration, sp.GetRequiredService<EventStore.EventStore>()));
        builder.Services.AddSingleton<SchemaState>();
        builder.Services.AddHostedService<SchemaMigrationService>();
        return builder;
    }
}
