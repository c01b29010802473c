using Oversight.Api.Http;
using Oversight.Api.Writes;
using Oversight.ReadModels.FollowUps;
using Oversight.ReadModels.Storage;
using Wolverine;

namespace Oversight.Api.Infrastructure;

internal static class StoreRegistration
{
    /// <summary>
    /// The record on ConnectionStrings:Oversight (ADR 8): Marten with the read models on its async daemon, Wolverine running the
    /// follow-up work, and the write path. The schema is brought up to date before anything else starts (section <c>Runtime</c>).
    /// </summary>
    public static WebApplicationBuilder AddOversightStore(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Oversight");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("ConnectionStrings:Oversight is not configured (set ConnectionStrings__Oversight).");
        // First: hosted services start in registration order, and the daemon and the handlers need the schema.
        builder.Services.AddSingleton<SchemaState>();
        builder.Services.AddHostedService<SchemaMigrationService>();
        builder.Services.AddOversightStorage(connectionString, builder.Configuration);
        builder.Host.UseWolverine(options =>
        {
            options.UseRuntimeCompilation();
            options.AddFollowUps(buildStorage: builder.Configuration.GetSection("Runtime").Get<StorageOptions>()?.ApplySchemaAtStart ?? true);
        });
        builder.Services.AddSingleton<WriteExecutor>();
        builder.Services.AddSingleton<Statistics.StatisticsContext>();
        builder.Services.AddSingleton<ReadYourWrites>();
        builder.Services.AddSingleton(sp => ReadModelDatabase.Create(builder.Configuration, sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
        return builder;
    }
}
