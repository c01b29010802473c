using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Oversight.Api.Tests.Support;
using Oversight.Persistence.Projections;
using Oversight.ReadModels.PublicSanctions;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.Statistics;
using Oversight.ReadModels.Storage;
using Oversight.Security;

namespace Oversight.Api.Tests.ReadModels;

/// <summary>
/// A changed read model deployed blue/green (ADR 9): the green build runs the next version of every read model. Its tools build
/// the new version's tables beside the current ones while the blue node serves; the green node takes over when the blue one goes
/// away; the green build's <c>projections retire</c> then drops the earlier versions.
/// </summary>
public sealed class BlueGreenTests
{
    /// <summary>Every read model one version past this build's.</summary>
    private static ReadModelCatalog Green()
    {
        var risk = new RiskOptions();
        return new(
        [
            new PublicSanctionsProjection { Version = new PublicSanctionsProjection().Version + 1 },
            new StatisticsProjection { Version = new StatisticsProjection().Version + 1 },
            new RiskProjection(risk) { Version = new RiskProjection(risk).Version + 1 },
        ], "readmodels");
    }

    private static string Table(ReadModelCatalog catalog, string projection, string table) =>
        ProjectionTables.VersionedName(table, catalog[projection].Version);

    private static readonly string[] Reads =
    [
        "/api/v1/risk-flags", "/api/v1/statistics/revocations?groupBy=fiscalYear,legalBasis", "/api/v1/statistics/moc-reports?groupBy=country,response",
        "/api/v1/statistics/inspections?fiscalYear=2023", "/api/v1/public/sanctions",
    ];

    private static async Task<List<string>> AnswersAsync(ApiFactory api)
    {
        var answers = new List<string>();
        foreach (var path in Reads) answers.Add((await api.GetJsonAsync(Roles.Analyst, path)).GetRawText());
        return answers;
    }

    /// <summary>Every row of a read-model table, as text, sorted.</summary>
    private static async Task<List<string>> RowsAsync(ApiFactory api, string table)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT t::text FROM readmodels.\"{table}\" t ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>The green build's command-line tools on the shared database (what <c>oversight migrate</c> and <c>projections</c> compose).</summary>
    private static ServiceProvider GreenTools(ApiFactory api, ReadModelCatalog green) =>
        new ServiceCollection().AddLogging()
            .AddOversightStorage(api.ConnectionString, new ConfigurationBuilder().Build(), wolverine: false)
            .AddSingleton(green)
            .BuildServiceProvider();

    private static Task WaitForAsync(ApiFactory api, ReadModelCatalog catalog, long head) =>
        Task.WhenAll(catalog.Projections.Select(p => ReadSide.EventuallyAsync(() => api.ProgressionAsync(catalog.ProgressionName(p.Name)),
            position => position >= head, TimeSpan.FromSeconds(60), $"{catalog.ProgressionName(p.Name)} at {head}")));

    [Fact]
    public async Task Version_2_is_built_beside_version_1_while_blue_serves_then_the_green_node_takes_over_and_version_1_is_retired()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var blue = await RebuildEquivalenceTests.StartForMixedScenarioAsync();
        await RebuildEquivalenceTests.MixedScenarioAsync(blue);
        await blue.SettledAsync();
        var blueCatalog = blue.Services.GetRequiredService<ReadModelCatalog>();
        var before = await AnswersAsync(blue);
        var green = Green();

        // The green build's tools, while blue serves: migrate (creates the version-2 tables) and rebuild each read model into them.
        await using (var tools = GreenTools(blue, green))
        {
            var store = tools.GetRequiredService<IDocumentStore>();
            await OversightStorage.ApplySchemaAsync(store, tools.GetRequiredService<NpgsqlDataSource>(), tools.GetRequiredService<StorageOptions>(), green, ct);
            using var daemon = await store.BuildProjectionDaemonAsync();
            foreach (var projection in green.Projections) await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromMinutes(1), ct);
        }
        await WaitForAsync(blue, green, await blue.HeadAsync());
        foreach (var projection in green.Projections)
        foreach (var table in projection.Tables)
            Assert.Equal(await RowsAsync(blue, Table(blueCatalog, projection.Name, table)), await RowsAsync(blue, Table(green, projection.Name, table)));
        Assert.Equal(before, await AnswersAsync(blue));

        // Blue keeps taking writes: version 1 follows them; version 2 waits for a node of the green build.
        var late = await blue.RegisterSoAsync("47", "2023-01-01");
        await blue.RevokePermitAsync(late, "2023-09-15", "Art.37(1)(iv)");
        await WaitForAsync(blue, blueCatalog, await blue.HeadAsync());
        var blueAfter = await AnswersAsync(blue);
        Assert.NotEqual(before, blueAfter);

        // A green node starts beside the blue one (whose daemon still leads), then the blue node goes away: the green node's
        // daemon takes every projection over and brings version 2 to the head.
        await using var greenNode = new ApiFactory { Clock = blue.Clock, Database = blue.Database, OwnsDatabase = false, ExtraServices = s => s.AddSingleton(green) };
        await greenNode.InitializeAsync();
        await blue.StopNodeAsync();
        await WaitForAsync(greenNode, green, await greenNode.HeadAsync());
        Assert.Equal(blueAfter, await AnswersAsync(greenNode));

        // Version 1 retired: its tables and progression rows go; version 2 serves on. A table an earlier version had and the
        // projection has dropped since (risk's former work tables) goes with that version: one is left here as if blue had it.
        var risk = green[RiskProjection.ProjectionName];
        var former = Table(blueCatalog, risk.Name, risk.FormerTables[0]);
        await using (var connection = new NpgsqlConnection(greenNode.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE TABLE readmodels.\"{former}\" (id uuid)", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        await using (var tools = GreenTools(greenNode, green))
        {
            var dataSource = tools.GetRequiredService<NpgsqlDataSource>();
            var retired = await RetiredVersions.FindAsync(green, dataSource, "oversight", ct);
            // Exactly the versions the blue build ran: earlier ones never created here (e.g. risk version 1) are not listed.
            Assert.Equal(green.Projections.Select(p => (p.Name, blueCatalog[p.Name].Version, p.Tables.Count + (p == risk ? 1 : 0),
                    (string?)blueCatalog.ProgressionName(p.Name))),
                retired.Select(r => (r.Projection, r.Version, r.Tables.Count, r.Progression)));
            Assert.Contains(former, retired.Single(r => r.Projection == risk.Name).Tables);
            await RetiredVersions.DropAsync(retired, "readmodels", dataSource, "oversight", ct);
            Assert.Empty(await RetiredVersions.FindAsync(green, dataSource, "oversight", ct));
        }
        await using (var connection = new NpgsqlConnection(greenNode.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var list = new NpgsqlCommand("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'readmodels' ORDER BY 1", connection);
            var remaining = new List<string>();
            await using (var reader = await list.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) remaining.Add(reader.GetString(0));
            Assert.Equal(green.Projections.SelectMany(p => p.Tables.Select(t => Table(green, p.Name, t))).Order(StringComparer.Ordinal), remaining);
        }
        Assert.Equal(blueAfter, await AnswersAsync(greenNode));
    }
}
