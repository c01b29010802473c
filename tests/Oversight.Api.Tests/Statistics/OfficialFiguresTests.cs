using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Oversight.Api.Tests.Support;
using Oversight.ReadModels.Statistics;
using Marten;
using Marten.Events.Daemon.Coordination;
using Oversight.Security;

namespace Oversight.Api.Tests.Statistics;

/// <summary>
/// The demo dataset at scale 1.0, loaded by the real `oversight seed` process into the API's database, reproduces every
/// official figure in official-figures-fy2022.csv (beside this test) that is in this system's scope, through the API.
/// </summary>
[Collection(HeavyTests.Name)]
public sealed class OfficialFiguresTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_seeded_national_history_reproduces_every_official_FY2022_figure_through_the_API()
    {
        await SeedAsync();
        // The node's daemon would catch up by itself; pausing it while a second daemon rebuilds the statistics gets there without competing for the CPU.
        var coordinator = api.Services.GetRequiredService<IProjectionCoordinator>();
        await coordinator.PauseAsync();
        using (var daemon = await api.Services.GetRequiredService<IDocumentStore>().BuildProjectionDaemonAsync())
            await daemon.RebuildProjectionAsync(StatisticsProjection.ProjectionName, TimeSpan.FromMinutes(10), TestContext.Current.CancellationToken);
        await coordinator.ResumeAsync();
        using var analyst = api.As(Roles.Analyst);

        // Every figure of official-figures-fy2022.csv (copied from the published report) that this system records, through the API.
        var figures = File.ReadAllLines(Repository.PathTo("tests", "Oversight.Api.Tests", "Statistics", "official-figures-fy2022.csv")).Skip(1)
            .Where(l => l.Length > 0).Select(l => l.Split(',')).ToDictionary(f => f[0], f => (Value: long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), Scope: f[3]));
        var checkedMeasures = new HashSet<string>();
        async Task Expect(string measure, Func<Task<long>> actual)
        {
            Assert.Equal((measure, figures[measure].Value), (measure, await actual()));
            checkedMeasures.Add(measure);
        }

        var permitted = await GetAsync(analyst, "organizations?fiscalYear=2022&groupBy=organizationType");
        await Expect("supervising_organizations_permitted", () => Task.FromResult(Count(permitted, "organizationType", "SupervisingOrganization", "count")));
        await Expect("training_plans_accredited", async () => (await GetAsync(analyst, "training-plans?asOf=2023-03-31")).GetProperty("total").GetInt64());

        var inspections = await GetAsync(analyst, "inspections?fiscalYear=2022&groupBy=organizationType");
        await Expect("onsite_inspections_supervising_organizations", () => Task.FromResult(Count(inspections, "organizationType", "SupervisingOrganization", "done")));
        await Expect("onsite_inspections_implementing_organizations", () => Task.FromResult(Count(inspections, "organizationType", "ImplementingOrganization", "done")));

        var revocations = await GetAsync(analyst, "revocations?fromFiscalYear=2022&toFiscalYear=2022&groupBy=organizationType");
        await Expect("supervising_organization_permits_revoked", () => Task.FromResult(Count(revocations, "organizationType", "SupervisingOrganization", "count")));
        await Expect("implementing_organization_plan_accreditations_revoked", () => Task.FromResult(Count(revocations, "organizationType", "ImplementingOrganization", "count")));

        var mocCountries = (await (await analyst.GetAsync("/api/v1/moc-countries?asOf=2023-03-31", TestContext.Current.CancellationToken)).Expect(HttpStatusCode.OK))
            .GetProperty("countries").EnumerateArray().Select(c => c.GetProperty("country").GetString()!).ToHashSet();
        await Expect("moc_countries", () => Task.FromResult((long)mocCountries.Count));
        var moc = await GetAsync(analyst, "moc-reports?fromFiscalYear=2022&toFiscalYear=2022&groupBy=country");
        await Expect("sending_organizations_reported_under_moc", () => Task.FromResult(moc.GetProperty("total").GetInt64()));
        Assert.Equal(mocCountries, moc.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("country").GetString()!).ToHashSet());

        // Calendar-based figures: the joint inspections with Labour Standards Inspection Offices and the orders OTIT issued in them.
        var joint = await GetAsync(analyst, "completed-inspections?calendarYear=2022&groupBy=kind");
        await Expect("joint_inspections_labour_and_otit", () => Task.FromResult(Count(joint, "kind", "JointWithLabourOffice", "count")));
        var orders = await GetAsync(analyst, "correction-orders?calendarYear=2022&groupBy=issuer,inspectionKind");
        await Expect("joint_inspection_otit_correction_orders", () => Task.FromResult(orders.GetProperty("rows").EnumerateArray()
            .Single(r => r.GetProperty("issuer").GetString() == "Otit" && r.GetProperty("inspectionKind").GetString() == "JointWithLabourOffice")
            .GetProperty("count").GetInt64()));

        // What the labour offices do on their own (their inspections, orders and referrals) is out of this system's scope (README).
        Assert.Equal(figures.Where(f => f.Value.Scope is not ("Labour Standards Inspection Offices" or "Labour Bureaus")).Select(f => f.Key).Order(),
            checkedMeasures.Order());

        // The same figures as CSV.
        var csv = await analyst.GetStringAsync("/api/v1/statistics/revocations?fromFiscalYear=2022&toFiscalYear=2022&groupBy=organizationType&format=csv",
            TestContext.Current.CancellationToken);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("organizationType,count,plansRevoked", lines[0]);
        Assert.StartsWith("ImplementingOrganization,114,", lines[1], StringComparison.Ordinal);
        Assert.Equal("SupervisingOrganization,12,0", lines[2]);
    }

    private async Task SeedAsync()
    {
        var (exitCode, output, error) = await OversightCli.RunAsync(new Dictionary<string, string?> { ["ConnectionStrings__Oversight"] = api.ConnectionString },
            "seed", "--profile", "fy2022", "--scale", "1.0");
        Assert.True(exitCode == 0, error);
        Assert.StartsWith("seeded events=", output.Trim().Split('\n')[^1], StringComparison.Ordinal);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string query) =>
        await (await client.GetAsync($"/api/v1/statistics/{query}", TestContext.Current.CancellationToken)).Expect(HttpStatusCode.OK);

    private static long Count(JsonElement result, string dimension, string value, string measure) =>
        result.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty(dimension).GetString() == value).GetProperty(measure).GetInt64();
}
