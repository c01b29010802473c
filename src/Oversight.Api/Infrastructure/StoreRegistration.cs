using Oversight.Api.Http;
using Oversight.Api.Writes;
using Oversight.ReadModels.FollowUps;
using Oversight.ReadModels.Storage;
using JasperFx;
using JasperFx.CodeGeneration;
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
        var applySchema = builder.Configuration.GetSection("Runtime").Get<StorageOptions>()?.ApplySchemaAtStart ?? new StorageOptions().ApplySchemaAtStart;
        builder.Services.CritterStackDefaults(defaults =>
        {
            // Outside Development the host loads the Marten and Wolverine code generated ahead of time (Internal/Generated,
            // written by `dotnet run --project src/Oversight.Api -- codegen write`) and refuses to start if any is missing:
            // no Roslyn at start, starts in seconds. Development compiles at runtime (WolverineFx.RuntimeCompilation).
            defaults.ApplicationAssembly = typeof(StoreRegistration).Assembly; // where the generated code lives, also under a test host
            defaults.Production.GeneratedCodeMode = TypeLoadMode.Static;
            defaults.Production.AssertAllPreGeneratedTypesExist = true;
            defaults.Production.ResourceAutoCreate = defaults.Development.ResourceAutoCreate = applySchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
        });
        builder.Host.UseWolverine(options =>
        {
            options.ApplicationAssembly = typeof(StoreRegistration).Assembly;
            if (builder.Environment.IsDevelopment()) options.UseRuntimeCompilation();
            options.AddFollowUps(buildStorage: applySchema);
        });
        builder.Services.AddSingleton<WriteExecutor>();
        builder.Services.AddSingleton(sp => new StreamStates(sp.GetRequiredService<StorageOptions>().CachedStreamStates));
        builder.Services.AddSingleton<Statistics.StatisticsContext>();
        builder.Services.AddSingleton<ReadYourWrites>();
        builder.Services.AddSingleton(sp => ReadModelDatabase.Create(builder.Configuration, sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
        return builder;
    }
}
