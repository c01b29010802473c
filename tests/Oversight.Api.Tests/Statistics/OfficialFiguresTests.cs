using System.Diagnostics;
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
/// official FY2022 figure through the statistics endpoints; the MOC countries in force on 2023-03-31 are in moc-countries.csv beside this test.
/// </summary>
[Collection(HeavyTests.Name)]
public sealed class OfficialFiguresTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));

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

        var permitted = await GetAsync(analyst, "organizations?fiscalYear=2022&groupBy=organizationType");
        Assert.Equal(3_632, Count(permitted, "organizationType", "SupervisingOrganization", "count"));

        var inspections = await GetAsync(analyst, "inspections?fiscalYear=2022&groupBy=organizationType");
        Assert.Equal(4_633, Count(inspections, "organizationType", "SupervisingOrganization", "done"));
        Assert.Equal(22_032, Count(inspections, "organizationType", "ImplementingOrganization", "done"));

        var revocations = await GetAsync(analyst, "revocations?fromFiscalYear=2022&toFiscalYear=2022&groupBy=organizationType");
        Assert.Equal(12, Count(revocations, "organizationType", "SupervisingOrganization", "count"));
        Assert.Equal(114, Count(revocations, "organizationType", "ImplementingOrganization", "count"));

        var moc = await GetAsync(analyst, "moc-reports?fromFiscalYear=2022&toFiscalYear=2022&groupBy=country");
        Assert.Equal(93, moc.GetProperty("total").GetInt64());
        var countries = moc.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("country").GetString()!).ToHashSet();
        var mocCountries = File.ReadAllLines(Path.Combine(RepoRoot(), "tests", "Oversight.Api.Tests", "Statistics", "moc-countries.csv")).Skip(1)
            .Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToHashSet();
        Assert.Equal(14, mocCountries.Count);
        Assert.Equal(mocCountries, countries);

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
        var cli = Path.Combine(RepoRoot(), "src", "Oversight.Cli", "bin", "Release", "net10.0", "oversight.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "seed", "--profile", "fy2022", "--scale", "1.0"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ConnectionStrings__Oversight"] = api.ConnectionString;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, await stderr);
        Assert.StartsWith("seeded events=", (await stdout).Trim().Split('\n')[^1], StringComparison.Ordinal);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string query) =>
        await (await client.GetAsync($"/api/v1/statistics/{query}", TestContext.Current.CancellationToken)).Expect(HttpStatusCode.OK);

    private static long Count(JsonElement result, string dimension, string value, string measure) =>
        result.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty(dimension).GetString() == value).GetProperty(measure).GetInt64();
}
