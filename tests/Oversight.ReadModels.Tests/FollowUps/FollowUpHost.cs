using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Oversight.Persistence;
using Oversight.Persistence.Reading;
using Oversight.ReadModels.FollowUps;
using Wolverine;
using Wolverine.Marten;

[assembly: AssemblyFixture(typeof(Oversight.Testing.PostgresServer))]

namespace Oversight.ReadModels.Tests.FollowUps;

/// <summary>A node running the follow-up work on Marten and Wolverine, on a business clock the test moves.</summary>
public sealed class FollowUpHost(PostgresServer server) : IAsyncLifetime
{
    public string Schema { get; } = $"f_{Guid.NewGuid():N}"[..20];
    public ManualClock Clock { get; } = new(new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.FromHours(9)));
    public IHost Host { get; private set; } = null!;
    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        DataSource = NpgsqlDataSource.Create(server.ConnectionString);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddMarten(options =>
            {
                options.Configure(server.ConnectionString, Clock, Schema);
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            })
            .IntegrateWithWolverine()
            .AddAsyncDaemon(DaemonMode.Solo)
            .AddFollowUps();
        builder.UseWolverine(options =>
        {
            options.UseRuntimeCompilation();
            options.AddFollowUps();
            options.Durability.Mode = DurabilityMode.Solo;
        });
        builder.Services.AddSingleton(new DeadlineOptions { PollInterval = TimeSpan.FromMilliseconds(100) });
        builder.Services.AddHostedService<DeadlinePoller>();
        Host = builder.Build();
        await Host.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using (var command = DataSource.CreateCommand(ReadModels.FollowUps.Deadlines.CreateTableSql(Schema) + ";" + EventReader.SubjectIndexSql(Schema)))
            await command.ExecuteNonQueryAsync();
        await Host.StartAsync();
    }

    /// <summary>The first column of every row, as text (<c>{schema}</c> is this fixture's schema).</summary>
    public Task<List<string>> QueryAsync(string sql) => DataSource.QueryAsync(Schema, sql);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        await DataSource.DisposeAsync();
    }
}
