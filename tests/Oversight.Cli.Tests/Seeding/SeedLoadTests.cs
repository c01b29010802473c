using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Oversight.Cli.Seeding;
using Marten;
using Oversight.Persistence.Integrity;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.Storage;

namespace Oversight.Cli.Tests.Seeding;

/// <summary>Seeding through the real bulk path into a private PostgreSQL database, one schema per test.</summary>
public sealed class SeedLoadTests(PostgresServer server)
{
    private ServiceProvider Services(string schema) =>
        new ServiceCollection()
            .AddLogging()
            .AddOversightStorage(server.ConnectionString, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Runtime:EventSchema"] = schema,
                ["Runtime:ReadModelSchema"] = $"{schema}_rm",
            }).Build(), wolverine: false)
            .BuildServiceProvider();

    private static SeedLoader Loader(ServiceProvider services) =>
        new((DocumentStore)services.GetRequiredService<IDocumentStore>(), services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<StorageOptions>(), services.GetRequiredService<RiskOptions>());

    /// <summary>
    /// Marten's rows under the column names these counts were written for (<c>events</c>, <c>streams</c>): event names
    /// without their schema version, the business date and the actor from their metadata columns and headers. The seeded
    /// history only: the reference data recorded with it (the memoranda) is counted on its own.
    /// </summary>
    private static async Task CreateEventsViewAsync(NpgsqlDataSource data, string schema)
    {
        await using var command = data.CreateCommand($"""
            CREATE OR REPLACE VIEW "{schema}".events AS
              SELECT seq_id AS seq, stream_id, regexp_replace(type, '\.v[0-9]+$', '') AS event_type, data,
                     (headers->>'occurredOn')::date AS occurred_on, user_name AS actor_id, headers->>'actorRole' AS actor_role
                FROM "{schema}".mt_events WHERE user_name IS DISTINCT FROM 'system:reference-data';
            CREATE OR REPLACE VIEW "{schema}".streams AS SELECT id FROM "{schema}".mt_streams WHERE id NOT LIKE 'moc-%';
            """);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string schema, string sql)
    {
        await using var command = dataSource.CreateCommand(sql.Replace("{schema}", $"\"{schema}\"", StringComparison.Ordinal));
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    // Scale 1.0 (the official figures themselves) is proven through the HTTP API in Oversight.Api.Tests (OfficialFiguresTests);
    // here a tenth of it shows the bulk-loaded rows carry every scaled figure, counted in SQL without read models.
    public async Task The_events_table_reproduces_every_scaled_FY2022_figure()
    {
        var profile = SeedProfile.Fy2022(0.1);
        const string schema = "seed_full";
        await using var services = Services(schema);
        var loader = Loader(services);
        var written = new List<long>();
        SeedDataset? dataset = null;

        var result = await loader.RunAsync(() => DemoDatasetGenerator.Generate(profile, 20221), d => dataset = d, written.Add,
            TestContext.Current.CancellationToken);

        Assert.Equal(dataset!.EventCount, result.Events);
        Assert.Equal(result.Events, written[^1]);
        var data = services.GetRequiredService<NpgsqlDataSource>();
        await CreateEventsViewAsync(data, schema);
        Task<long> Count(string sql) => ScalarAsync(data, schema, sql);

        Assert.Equal(result.Events, await Count("SELECT count(*) FROM {schema}.events"));
        // The memoranda the generated reports and plans rely on are recorded with the history.
        Assert.Equal(Oversight.ReadModels.ReferenceData.MocReferenceData.All.Select(m => m.Country).Distinct().Count(),
            await Count("SELECT count(*) FROM {schema}.mt_streams WHERE id LIKE 'moc-%'"));
        Assert.Equal(result.Streams, await Count("SELECT count(*) FROM {schema}.streams"));
        Assert.Equal(0, await Count("SELECT count(*) FROM {schema}.events WHERE actor_id <> 'seed' OR actor_role <> 'system' OR occurred_on IS NULL"));

        // Supervising organizations permitted at 2023-03-31.
        Assert.Equal(profile.SupervisingOrganizationsPermittedAtFy2022End, await Count("""
            SELECT count(*) FROM {schema}.events r
            WHERE r.event_type = 'SupervisingOrganizationRegistered' AND (r.data->>'permitFrom')::date <= DATE '2023-03-31'
              AND NOT EXISTS (SELECT 1 FROM {schema}.events x WHERE x.stream_id = r.stream_id
                              AND x.event_type IN ('PermitRevoked', 'BusinessAbolished') AND (x.data->>'effectiveOn')::date <= DATE '2023-03-31')
            """));

        // Completed on-site inspections in FY2022, by the type of organization inspected.
        const string inspections = """
            SELECT count(*) FROM {schema}.events c JOIN {schema}.events s ON s.stream_id = c.stream_id AND s.event_type = 'InspectionScheduled'
            WHERE c.event_type = 'InspectionCompleted' AND (c.data->>'completedOn')::date BETWEEN DATE '2022-04-01' AND DATE '2023-03-31'
              AND c.occurred_on = (c.data->>'completedOn')::date AND s.data->>'organizationType' = '{type}'
            """;
        Assert.Equal(profile.SupervisingOrganizationInspections(2022), await Count(inspections.Replace("{type}", "SupervisingOrganization", StringComparison.Ordinal)));
        Assert.Equal(profile.ImplementingOrganizationInspections(2022), await Count(inspections.Replace("{type}", "ImplementingOrganization", StringComparison.Ordinal)));

        // Revocations with effect in FY2022.
        Assert.Equal(profile.SupervisingOrganizationRevocations(2022), await Count("""
            SELECT count(*) FROM {schema}.events WHERE event_type = 'PermitRevoked'
              AND (data->>'effectiveOn')::date BETWEEN DATE '2022-04-01' AND DATE '2023-03-31' AND occurred_on = (data->>'effectiveOn')::date
            """));
        const string planRevocations = """
            SELECT {what} FROM {schema}.events WHERE event_type = 'PlanAccreditationRevoked'
              AND (data->>'effectiveOn')::date BETWEEN DATE '2022-04-01' AND DATE '2023-03-31' AND occurred_on = (data->>'effectiveOn')::date
            """;
        Assert.Equal(profile.PlanRevocations(2022), await Count(planRevocations.Replace("{what}", "count(*)", StringComparison.Ordinal)));
        Assert.Equal(profile.PlanRevocations(2022), await Count(planRevocations.Replace("{what}", "count(DISTINCT stream_id)", StringComparison.Ordinal)));

        // Sending organizations reported under the MOC in FY2022: one report per organization, all in MOC countries.
        const string moc = """
            SELECT {what} FROM {schema}.events m JOIN {schema}.events r ON r.stream_id = m.stream_id AND r.event_type = 'SendingOrganizationRegistered'
            WHERE m.event_type = 'SendingOrganizationReportedUnderMoc' AND (m.data->>'reportedOn')::date BETWEEN DATE '2022-04-01' AND DATE '2023-03-31'
            """;
        Assert.Equal(profile.MocReportsIn(2022), await Count(moc.Replace("{what}", "count(*)", StringComparison.Ordinal)));
        Assert.Equal(profile.MocReportsIn(2022), await Count(moc.Replace("{what}", "count(DISTINCT m.stream_id)", StringComparison.Ordinal)));
        Assert.Equal(0, await Count(moc.Replace("{what}", "count(*)", StringComparison.Ordinal)
            + " AND r.data->>'country' NOT IN ('VN','KH','IN','PH','LA','MN','BD','LK','MM','BT','UZ','PK','TH','ID')"));

        // Every permit and plan number is claimed for its stream.
        Assert.Equal(result.UniqueNumbers, await Count("SELECT count(*) FROM {schema}.api_unique_numbers"));
        Assert.Equal(await Count("SELECT count(*) FROM {schema}.events WHERE event_type IN ('SupervisingOrganizationRegistered', 'TrainingPlanAccredited')"),
            await Count("""
                SELECT count(*) FROM {schema}.events e JOIN {schema}.api_unique_numbers u
                  ON u.stream_id = e.stream_id AND ((e.event_type = 'SupervisingOrganizationRegistered' AND u.kind = 'Permit number' AND u.value = e.data->>'permitNumber')
                   OR (e.event_type = 'TrainingPlanAccredited' AND u.kind = 'Plan accreditation number' AND u.value = e.data->>'planNumber'))
                """));

        // The hash chains the bulk path wrote verify.
        var verify = await services.GetRequiredService<ChainVerifier>().VerifyStreamAsync(
            await FirstStreamAsync(data, schema, "so-%"), TestContext.Current.CancellationToken);
        Assert.True(verify.IsValid);
    }

    private static async Task<string> FirstStreamAsync(NpgsqlDataSource data, string schema, string like)
    {
        await using var command = data.CreateCommand($"SELECT min(id) FROM \"{schema}\".streams WHERE id LIKE $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = like });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Seeding_refuses_a_store_that_already_holds_events()
    {
        const string schema = "seed_refuse";
        await using var services = Services(schema);
        var first = await Loader(services).RunAsync(() => DemoDatasetGenerator.Generate(SeedProfile.Fy2022(0.01), 7),
            cancellationToken: TestContext.Current.CancellationToken);
        var data = services.GetRequiredService<NpgsqlDataSource>();
        await CreateEventsViewAsync(data, schema);
        // The follow-up subscription has not run: the seed records its own history as seen by it, so its first start skips it.
        Assert.Equal(await ScalarAsync(data, schema, "SELECT max(seq_id) FROM {schema}.mt_events"),
            await ScalarAsync(data, schema, "SELECT last_seq_id FROM {schema}.mt_event_progression WHERE name = 'follow-ups:All'"));
        var generated = false;

        var refused = await Assert.ThrowsAsync<SeedRefusedException>(() => Loader(services).RunAsync(() =>
        {
            generated = true;
            return DemoDatasetGenerator.Generate(SeedProfile.Fy2022(0.01), 7);
        }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("not empty", refused.Message, StringComparison.Ordinal);
        Assert.False(generated);
        Assert.Equal(first.Events, await ScalarAsync(data, schema, "SELECT count(*) FROM {schema}.events"));
    }

    /// <summary>
    /// The read models the seed builds in large batches (ReadModelCatchUp) are row for row what Marten's daemon builds from the
    /// first event, and each projection's progression stands at the head, so the daemon carries on from there.
    /// </summary>
    [Fact]
    public async Task The_read_models_the_seed_builds_equal_what_the_daemon_rebuilds()
    {
        const string schema = "seed_read_models";
        await using var services = Services(schema);
        var result = await Loader(services).RunAsync(() => DemoDatasetGenerator.Generate(SeedProfile.Fy2022(0.02), 20221),
            cancellationToken: TestContext.Current.CancellationToken);
        var data = services.GetRequiredService<NpgsqlDataSource>();
        var head = await ScalarAsync(data, schema, "SELECT max(seq_id) FROM {schema}.mt_events");
        Assert.Equal(head, result.ReadModels.Position);
        var catalog = services.GetRequiredService<ReadModelCatalog>();
        foreach (var projection in catalog.Projections)
            Assert.Equal(head, await ScalarAsync(data, schema, $"SELECT last_seq_id FROM {{schema}}.mt_event_progression WHERE name = '{catalog.ProgressionName(projection.Name)}'"));

        var seeded = await Oversight.Testing.ReadModelSnapshot.TakeAsync(data, $"{schema}_rm");
        Assert.Contains(seeded, t => t.Key.StartsWith("risk_flags", StringComparison.Ordinal) && t.Value.Count > 0);
        using (var daemon = await services.GetRequiredService<IDocumentStore>().BuildProjectionDaemonAsync())
            foreach (var projection in catalog.Projections)
                await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        var rebuilt = await Oversight.Testing.ReadModelSnapshot.TakeAsync(data, $"{schema}_rm");

        Assert.Equal(seeded.Keys, rebuilt.Keys);
        foreach (var table in seeded.Keys)
            Assert.True(seeded[table].SequenceEqual(rebuilt[table]),
                $"{table}: seeded only {string.Join('\n', seeded[table].Except(rebuilt[table]).Take(5))}\nrebuilt only {string.Join('\n', rebuilt[table].Except(seeded[table]).Take(5))}");
    }
}
