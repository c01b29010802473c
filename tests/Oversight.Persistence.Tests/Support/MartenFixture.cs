using JasperFx;
using Marten;
using Npgsql;
using Oversight.Domain.Inspections;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;

[assembly: AssemblyFixture(typeof(Oversight.Testing.PostgresServer))]

namespace Oversight.Persistence.Tests.Support;

/// <summary>A Marten store in our configuration, in a schema of its own, with a clock the test moves.</summary>
public sealed class MartenFixture(PostgresServer server) : IAsyncLifetime
{
    public string Schema { get; } = $"m_{Guid.NewGuid():N}"[..20];
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
    public DocumentStore Store { get; private set; } = null!;
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public string ConnectionString => server.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        Store = Create();
        DataSource = NpgsqlDataSource.Create(server.ConnectionString);
        await Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    /// <summary>A store on this fixture's schema; <paramref name="configure"/> adds projections and options.</summary>
    public DocumentStore Create(Action<StoreOptions>? configure = null) => DocumentStore.For(options =>
    {
        options.Configure(server.ConnectionString, Clock, Schema);
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        configure?.Invoke(options);
    });

    public ChainVerifier Verifier => new(DataSource, Schema);

    /// <summary>Appends <paramref name="count"/> findings to <paramref name="streamId"/> in one session, chained on what is there.</summary>
    public async Task AppendFindingsAsync(string streamId, int count, AppendMetadata? metadata = null, DocumentStore? store = null)
    {
        var head = await ReadHeadAsync(streamId);
        await using var session = (store ?? Store).LightweightSession();
        session.AppendChained(streamId, head, [.. Enumerable.Range(0, count).Select(i => Finding($"finding {head.Version + i + 1}"))],
            metadata ?? Inspector, Clock.GetUtcNow());
        await session.SaveChangesAsync();
    }

    public async Task<ChainHead> ReadHeadAsync(string streamId)
    {
        await using var session = Store.QuerySession();
        return ChainedAppends.HeadOf(await session.Events.FetchStreamAsync(streamId));
    }

    public static AppendMetadata Inspector { get; } = new() { ActorId = "inspector-7", ActorRole = "inspector", CorrelationId = "corr-1" };

    public static PendingEvent Finding(string narrative, int trainees = 1) =>
        new(new FindingRecorded(Guid.CreateVersion7(), FindingCategory.UnpaidWages, Severity.High, "Art.16(1)(i)", trainees,
            new DateOnly(2026, 3, 30), narrative), new DateOnly(2026, 3, 30));

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql.Replace("{schema}", $"\"{Schema}\"", StringComparison.Ordinal));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of every row, as text (<c>{schema}</c> is this fixture's schema).</summary>
    public Task<List<string>> QueryAsync(string sql) => DataSource.QueryAsync(Schema, sql);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
