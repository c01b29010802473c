using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Moc;

/// <summary>
/// Memoranda of Cooperation as dated facts: the shipped reference data is recorded at first start, analysts list the countries
/// as of a date, officers record new memoranda and their end, and acts under the MOC need one in force on their date.
/// </summary>
public sealed class MocTests
{
    private static async Task<string[]> CountriesAsync(ApiFactory api, string asOf) =>
        [.. (await api.GetJsonAsync(Roles.Analyst, $"/api/v1/moc-countries?asOf={asOf}")).GetProperty("countries").EnumerateArray()
            .Select(c => c.GetProperty("country").GetString()!)];

    [Fact]
    public async Task The_shipped_memoranda_give_the_fourteen_countries_of_2023_03_31_and_officers_record_new_ones_and_their_end()
    {
        await using var api = await ReadSide.StartAsync();
        Assert.Equal(["BD", "BT", "ID", "IN", "KH", "LA", "LK", "MM", "MN", "PH", "PK", "TH", "UZ", "VN"], await CountriesAsync(api, "2023-03-31"));
        Assert.Equal(["IN", "KH", "PH", "VN"], await CountriesAsync(api, "2017-12-01"));
        Assert.Contains("NP", await CountriesAsync(api, "2024-06-01"));

        var country = TestData.CountryWithoutMoc();
        await api.WriteAsync(Roles.Officer, "/api/v1/moc-agreements", new { country, signedOn = "2024-03-01", inForceFrom = "2024-04-01", source = "MHLW" });
        Assert.DoesNotContain(country, await CountriesAsync(api, "2024-03-31"));
        Assert.Contains(country, await CountriesAsync(api, "2024-04-01"));
        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync("/api/v1/moc-agreements", new { country, signedOn = "2024-05-01", inForceFrom = "2024-05-01" }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "moc-in-force");
        await api.WriteAsync(Roles.Officer, $"/api/v1/moc-agreements/{country}/end", new { endedOn = "2025-04-01", reason = "Not renewed." });
        Assert.Contains(country, await CountriesAsync(api, "2025-03-31"));
        Assert.DoesNotContain(country, await CountriesAsync(api, "2025-04-01"));

        var agreement = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/moc-agreements/{country}");
        var term = Assert.Single(agreement.GetProperty("terms").EnumerateArray());
        Assert.Equal(("2024-04-01", "2025-04-01"), (term.GetProperty("inForceFrom").GetString(), term.GetProperty("endedOn").GetString()));
    }

    [Fact]
    public async Task Reports_and_plans_need_a_memorandum_in_force_and_statistics_count_only_reports_under_one()
    {
        await using var api = await ReadSide.StartAsync();
        var country = TestData.CountryWithoutMoc();
        var sender = await api.RegisterSenderAsync(country);
        var io = await api.RegisterIoAsync(await api.RegisterSoAsync());
        using var officer = api.As(Roles.Officer);
        var before = await api.EventCountAsync();
        var refused = await (await officer.PostJsonAsync($"/api/v1/sending-organizations/{sender}/moc-reports",
            new { reportedOn = "2023-06-01", reasons = new[] { "ExcessiveFees" } })).ExpectProblem(HttpStatusCode.UnprocessableEntity, "no-moc-in-force");
        Assert.True(refused.GetProperty("errors").TryGetProperty("reportedOn", out _));
        var plan = await (await officer.PostJsonAsync($"/api/v1/implementing-organizations/{io}/training-plans", new
        {
            planNumber = TestData.PlanNumber(), type = "No1", trainees = 2, sendingCountry = country, sendingOrganizationId = sender,
            from = "2023-04-01", to = "2024-03-31", accreditedOn = "2023-03-01",
        })).ExpectProblem(HttpStatusCode.UnprocessableEntity, "no-moc-in-force");
        Assert.True(plan.GetProperty("errors").TryGetProperty("sendingOrganizationId", out _));
        Assert.Equal(before, await api.EventCountAsync());

        // Under a memorandum the report is accepted and counted; once it ends, later reports are refused and earlier ones still count.
        await api.WriteAsync(Roles.Officer, "/api/v1/moc-agreements", new { country, signedOn = "2023-05-01", inForceFrom = "2023-05-01" });
        await api.ReportSenderAsync(sender, "2023-06-01");
        await api.WriteAsync(Roles.Officer, $"/api/v1/moc-agreements/{country}/end", new { endedOn = "2023-09-01", reason = "Suspended by the partner." });
        await (await officer.PostJsonAsync($"/api/v1/sending-organizations/{sender}/moc-reports",
            new { reportedOn = "2023-09-01", reasons = new[] { "ExcessiveFees" } })).ExpectProblem(HttpStatusCode.UnprocessableEntity, "no-moc-in-force");
        var head = await api.HeadAsync();
        var stats = await api.GetJsonAsync(Roles.Analyst, $"/api/v1/statistics/moc-reports?fromFiscalYear=2023&toFiscalYear=2023&groupBy=country&minPosition={head}");
        Assert.Equal(1, Assert.Single(stats.GetProperty("rows").EnumerateArray(), r => r.GetProperty("country").GetString() == country).GetProperty("count").GetInt64());
    }
}
