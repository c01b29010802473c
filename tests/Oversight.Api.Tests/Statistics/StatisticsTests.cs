using System.Net;
using System.Text.Json;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Statistics;

/// <summary>
/// Statistics read through HTTP on data written through the API, each test in a database of its own (statistics are
/// global counts), on a manual clock so no scheduled deadline check adds events meanwhile.
/// </summary>
public sealed class StatisticsTests
{
    /// <summary>Rows as "a|b|…" in the columns' order, sorted ordinally (independent of the database collation).</summary>
    private static List<string> Rows(JsonElement result, params string[] columns) =>
        [.. result.GetProperty("rows").EnumerateArray().Select(r => string.Join('|', columns.Select(c => ReadSide.Text(r.GetProperty(c))))).Order(StringComparer.Ordinal)];

    private static List<string> Expected(params string[] rows) => [.. rows.Order(StringComparer.Ordinal)];

    private static async Task<ApiFactory> RevocationsWorldAsync()
    {
        var api = await ReadSide.StartAsync();
        var supervisor = await api.RegisterSoAsync("13");
        // FY boundary: 31 March 2023 is the last day of FY2022, 1 April 2023 the first of FY2023.
        var lastDay = await api.RegisterSoAsync("13");
        await api.RevokePermitAsync(lastDay, "2023-03-31", "Art.37(1)(iv)");
        var firstDay = await api.RegisterSoAsync("27");
        await api.RevokePermitAsync(firstDay, "2023-04-01", "Art.37(1)(i)");
        // Two plan-revocation acts of implementing organizations in Shizuoka (22), FY2023: one plan, then all (two) plans.
        var partly = await api.RegisterIoAsync(supervisor, "22");
        var plan = await api.AccreditAsync(partly);
        await api.AccreditAsync(partly);
        await api.RevokePlansAsync(partly, "2023-12-01", [plan]);
        var fully = await api.RegisterIoAsync(supervisor, "22");
        await api.AccreditAsync(fully);
        await api.AccreditAsync(fully);
        await api.RevokePlansAsync(fully, "2024-02-10");
        return api;
    }

    [Fact]
    public async Task Revocations_are_grouped_by_fiscal_year_of_effective_date_type_prefecture_and_legal_basis()
    {
        await using var api = await RevocationsWorldAsync();
        var head = await api.HeadAsync();

        var grouped = await api.GetJsonAsync(Roles.Analyst,
            $"/api/v1/statistics/revocations?groupBy=fiscalYear,organizationType,prefecture,legalBasis&minPosition={head}");
        Assert.Equal(Expected(
                "2022|SupervisingOrganization|13|Art.37(1)(iv)|1|0",
                "2023|SupervisingOrganization|27|Art.37(1)(i)|1|0",
                "2023|ImplementingOrganization|22|Art.16(1)(iv)|2|3"),
            Rows(grouped, "fiscalYear", "organizationType", "prefecture", "legalBasis", "count", "plansRevoked"));
        Assert.Equal(4, grouped.GetProperty("total").GetInt64());
        // One key per requested dimension plus the measures, nothing else.
        foreach (var row in grouped.GetProperty("rows").EnumerateArray())
            Assert.Equal(["fiscalYear", "organizationType", "prefecture", "legalBasis", "count", "plansRevoked"], row.EnumerateObject().Select(p => p.Name));

        var byYear = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/revocations?groupBy=fiscalYear");
        Assert.Equal(Expected("2022|1", "2023|3"), Rows(byYear, "fiscalYear", "count"));

        var fy2023 = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/revocations?fromFiscalYear=2023&toFiscalYear=2023&groupBy=organizationType");
        Assert.Equal(Expected("ImplementingOrganization|2|3", "SupervisingOrganization|1|0"), Rows(fy2023, "organizationType", "count", "plansRevoked"));
        Assert.Equal(3, fy2023.GetProperty("total").GetInt64());

        var fy2022 = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/revocations?toFiscalYear=2022");
        Assert.Equal(Expected("1|0"), Rows(fy2022, "count", "plansRevoked"));
        Assert.Equal(1, fy2022.GetProperty("total").GetInt64());

        var ungrouped = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/revocations");
        Assert.Equal(Expected("4|3"), Rows(ungrouped, "count", "plansRevoked"));
        Assert.Equal(4, ungrouped.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Inspections_done_due_overdue_and_coverage_for_a_fiscal_year()
    {
        await using var api = await ReadSide.StartAsync();
        // Supervising organizations: 12 months; permitted 2022-04-01 → due within FY2023; permitted 2023-06-01 → due 2024-06-01 (FY2024).
        var inspectedTwice = await api.RegisterSoAsync("13");
        var neverInspected = await api.RegisterSoAsync("13");
        var notYetDue = await api.RegisterSoAsync("13", "2023-06-01");
        await api.InspectAsync(inspectedTwice, "2023-05-10", "2023-05-11");
        await api.InspectAsync(inspectedTwice, "2024-03-30", "2024-03-31"); // last day of FY2023
        await api.InspectAsync(notYetDue, "2024-04-01", "2024-04-01"); // first day of FY2024: not done in FY2023
        // Implementing organizations: 36 months; registered 2020-01-10 → due 2023-01-10; registered 2023-01-10 → due 2026. The first two
        // registered under a supervising organization permitted then and revoked before FY2022 (so in neither year's supervising figures).
        var former = await api.RegisterSoAsync("13", "2019-04-01");
        var inspectedIo = await api.RegisterIoAsync(former, "22", "2020-01-10");
        await api.RegisterIoAsync(former, "22", "2020-01-10");
        await api.RevokePermitAsync(former, "2022-03-31");
        var recentIo = await api.RegisterIoAsync(inspectedTwice, "22", "2023-01-10");
        await api.InspectAsync(inspectedIo, "2023-07-15", "2023-07-15");
        await api.InspectAsync(recentIo, "2023-03-20", "2023-03-31"); // FY2022
        // Revoked during FY2023: not active at its end, so neither due nor overdue (its inspection still counts as done).
        var revoked = await api.RegisterSoAsync("13");
        await api.InspectAsync(revoked, "2023-06-01", "2023-06-02");
        await api.RevokePermitAsync(revoked, "2023-10-01");
        var head = await api.HeadAsync();

        var byType = await api.GetJsonAsync(Roles.Analyst, $"/api/v1/statistics/inspections?fiscalYear=2023&groupBy=organizationType&minPosition={head}");
        Assert.Equal(Expected(
                "2023|SupervisingOrganization|3|2|3|2|1|50",
                "2023|ImplementingOrganization|1|1|3|2|1|50"),
            Rows(byType, "fiscalYear", "organizationType", "done", "organizationsInspected", "organizations", "due", "overdue", "coveragePercent"));
        Assert.Equal(4, byType.GetProperty("total").GetInt64());

        var all = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/inspections?fiscalYear=2023");
        Assert.Equal(Expected("2023|4|3|6|4|2|50"), Rows(all, "fiscalYear", "done", "organizationsInspected", "organizations", "due", "overdue", "coveragePercent"));

        // FY2022: one implementing organization inspected (recentIo); the SOs permitted 2022-04-01 were due only in FY2023; the IOs registered
        // 2020-01-10 were due on 2023-01-10 and are overdue; coverage 0 of 2.
        var fy2022 = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/inspections?fiscalYear=2022&groupBy=organizationType");
        Assert.Equal(Expected(
                "2022|SupervisingOrganization|0|0|3|0|0|",
                "2022|ImplementingOrganization|1|1|3|2|2|0"),
            Rows(fy2022, "fiscalYear", "organizationType", "done", "organizationsInspected", "organizations", "due", "overdue", "coveragePercent"));
    }

    [Fact]
    public async Task Plans_count_one_per_trainee_cumulatively_and_orders_and_joint_inspections_by_calendar_year()
    {
        await using var api = await ReadSide.StartAsync();
        var io = await api.RegisterIoAsync(await api.RegisterSoAsync(), registeredOn: "2022-06-01");
        await api.AccreditAsync(io, trainees: 20); // accredited 2023-03-01
        await api.AccreditAsync(io, trainees: 5);
        var later = await api.RegisterIoAsync(await api.RegisterSoAsync(), registeredOn: "2023-03-15");
        using (var officer = api.As(Roles.Officer))
            await (await officer.PostJsonAsync($"/api/v1/implementing-organizations/{later}/training-plans", new
            {
                planNumber = TestData.PlanNumber(), type = "No1", trainees = 7, sendingCountry = "VN", from = "2023-05-01", to = "2024-04-30", accreditedOn = "2023-04-02",
            })).Expect(System.Net.HttpStatusCode.Created);
        // A joint inspection completed in December 2022 (calendar 2022, FY2022) with an OTIT order issued in January 2023.
        using (var inspector = api.As(Roles.Inspector))
        {
            var joint = (await (await inspector.PostJsonAsync("/api/v1/inspections",
                new { organizationId = io, kind = "JointWithLabourOffice", scheduledOn = "2022-12-20", leadInspector = "inspector-7" })).Expect(System.Net.HttpStatusCode.Created)).Id();
            await api.WriteAsync(Roles.Inspector, $"/api/v1/inspections/{joint}/start", new { startedOn = "2022-12-20" });
            await api.CompleteInspectionAsync(joint, "2022-12-21");
            await api.WriteAsync(Roles.Officer, "/api/v1/correction-orders", new
            {
                organizationId = io, inspectionId = joint, issuer = "Otit", kind = "Guidance", issuedOn = "2023-01-10", dueOn = "2023-02-10", findingIds = Array.Empty<Guid>(),
            });
        }
        var head = await api.HeadAsync();

        var plans = await api.GetJsonAsync(Roles.Analyst, $"/api/v1/statistics/training-plans?asOf=2023-03-31&minPosition={head}");
        Assert.Equal((25L, 2L), (plans.GetProperty("total").GetInt64(), Assert.Single(plans.GetProperty("rows").EnumerateArray()).GetProperty("accreditations").GetInt64()));
        Assert.Equal(32, (await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/training-plans?asOf=2023-04-02")).GetProperty("total").GetInt64());

        var completed2022 = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/completed-inspections?calendarYear=2022&groupBy=kind");
        Assert.Equal(Expected("JointWithLabourOffice|1"), Rows(completed2022, "kind", "count"));
        var orders2022 = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/correction-orders?calendarYear=2022&groupBy=issuer,inspectionKind");
        Assert.Equal(0, orders2022.GetProperty("total").GetInt64());
        var orders2023 = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/correction-orders?calendarYear=2023&groupBy=issuer,inspectionKind");
        Assert.Equal(Expected("Otit|JointWithLabourOffice|1"), Rows(orders2023, "issuer", "inspectionKind", "count"));
        var ordersFy2022 = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/correction-orders?fiscalYear=2022");
        Assert.Equal(1, ordersFy2022.GetProperty("total").GetInt64());

        using var analyst = api.As(Roles.Analyst);
        var problem = await (await analyst.GetAsync("/api/v1/statistics/correction-orders?fiscalYear=2022&calendarYear=2022")).ExpectProblem(System.Net.HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("calendarYear", out _));
    }

    [Fact]
    public async Task Moc_reports_by_country_and_latest_response()
    {
        await using var api = await ReadSide.StartAsync();
        var hanoi = await api.RegisterSenderAsync("VN");
        var saigon = await api.RegisterSenderAsync("VN");
        var manila = await api.RegisterSenderAsync("PH");
        await api.ReportSenderAsync(hanoi, "2022-06-15"); // FY2022
        var answered = (await api.ReportSenderAsync(hanoi, "2023-05-01")).Id();
        await api.ReportSenderAsync(saigon, "2023-06-01");
        await api.ReportSenderAsync(manila, "2024-03-31"); // last day of FY2023
        var investigating = await api.RespondAsync(hanoi, answered, "Investigating", "2023-06-01");

        var first = await api.GetJsonAsync(Roles.Analyst,
            $"/api/v1/statistics/moc-reports?fromFiscalYear=2023&toFiscalYear=2023&groupBy=country,response&minPosition={investigating.Position()}");
        Assert.Equal(Expected("PH|None|1|1", "VN|Investigating|1|1", "VN|None|1|1"), Rows(first, "country", "response", "count", "sendingOrganizations"));
        Assert.Equal(3, first.GetProperty("total").GetInt64());

        // The country answers: the report counts under its latest response.
        var suspended = await api.RespondAsync(hanoi, answered, "LicenceSuspended", "2023-09-01");
        var second = await api.GetJsonAsync(Roles.Analyst,
            $"/api/v1/statistics/moc-reports?fromFiscalYear=2023&toFiscalYear=2023&groupBy=country,response&minPosition={suspended.Position()}");
        Assert.Equal(Expected("PH|None|1|1", "VN|LicenceSuspended|1|1", "VN|None|1|1"), Rows(second, "country", "response", "count", "sendingOrganizations"));

        var byYear = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/moc-reports?groupBy=fiscalYear,country");
        Assert.Equal(Expected("2022|VN|1|1", "2023|PH|1|1", "2023|VN|2|2"), Rows(byYear, "fiscalYear", "country", "count", "sendingOrganizations"));
        Assert.Equal(4, byYear.GetProperty("total").GetInt64());

        var byCountry = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/moc-reports?groupBy=country");
        Assert.Equal(Expected("PH|1|1", "VN|3|2"), Rows(byCountry, "country", "count", "sendingOrganizations"));
    }

    [Fact]
    public async Task Organizations_active_at_fiscal_year_end()
    {
        await using var api = await ReadSide.StartAsync();
        var tokyo = await api.RegisterSoAsync("13", "2022-04-01");
        var revokedInYear = await api.RegisterSoAsync("13", "2022-04-01");
        await api.RegisterSoAsync("27", "2023-06-01");
        await api.RegisterSoAsync("27", "2024-04-01"); // permitted after FY2023
        await api.RegisterIoAsync(tokyo, "22");
        var endsOnLastDay = await api.RegisterIoAsync(tokyo, "22");
        await api.AccreditAsync(endsOnLastDay);
        var endsAfter = await api.RegisterIoAsync(tokyo, "22");
        await api.AccreditAsync(endsAfter);
        await api.RevokePermitAsync(revokedInYear, "2023-10-01");
        await api.RevokePlansAsync(endsOnLastDay, "2024-03-31"); // not active at the end of 31 March
        await api.RevokePlansAsync(endsAfter, "2024-04-01");
        // Its only plan revoked by number: every accreditation is gone, as much as with a revocation of all plans.
        var lastPlanRevoked = await api.RegisterIoAsync(tokyo, "22");
        var only = await api.AccreditAsync(lastPlanRevoked);
        await api.RevokePlansAsync(lastPlanRevoked, "2023-10-01", [only]);
        var head = await api.HeadAsync();

        var fy2023 = await api.GetJsonAsync(Roles.Analyst, $"/api/v1/statistics/organizations?fiscalYear=2023&groupBy=organizationType,prefecture&minPosition={head}");
        Assert.Equal(Expected("ImplementingOrganization|22|2", "SupervisingOrganization|13|1", "SupervisingOrganization|27|1"),
            Rows(fy2023, "organizationType", "prefecture", "count"));
        Assert.Equal(4, fy2023.GetProperty("total").GetInt64());

        var fy2022 = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/organizations?fiscalYear=2022&groupBy=organizationType,prefecture");
        Assert.Equal(Expected("ImplementingOrganization|22|4", "SupervisingOrganization|13|2"), Rows(fy2022, "organizationType", "prefecture", "count"));

        var fy2024 = await api.GetJsonAsync(Roles.Analyst, "/api/v1/statistics/organizations?fiscalYear=2024&groupBy=organizationType,industry");
        Assert.Equal(Expected("ImplementingOrganization|Casting|1", "SupervisingOrganization||3"), Rows(fy2024, "organizationType", "industry", "count"));
    }

    [Theory]
    [InlineData("revocations?groupBy=fiscalYear,country")]
    [InlineData("inspections?fiscalYear=2023&groupBy=legalBasis")]
    [InlineData("moc-reports?groupBy=prefecture")]
    [InlineData("organizations?fiscalYear=2023&groupBy=narrative")]
    public async Task Unknown_groupBy_is_400_naming_groupBy(string query)
    {
        await using var api = await ReadSide.StartAsync();
        using var analyst = api.As(Roles.Analyst);
        var problem = await (await analyst.GetAsync($"/api/v1/statistics/{query}")).ExpectProblem(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("groupBy", out var messages), problem.ToString());
        Assert.Contains(query.Split("groupBy=")[1].Split(',').Last(), messages[0].GetString());
    }

    [Fact]
    public async Task Csv_by_format_and_by_accept_equals_the_json_rows()
    {
        await using var api = await RevocationsWorldAsync();
        var sender = await api.RegisterSenderAsync("VN");
        var report = (await api.ReportSenderAsync(sender, "2023-05-01")).Id();
        await api.RespondAsync(sender, report, "LicenceSuspended");
        var head = await api.HeadAsync();
        string[] paths =
        [
            $"/api/v1/statistics/revocations?groupBy=fiscalYear,organizationType,prefecture,legalBasis&minPosition={head}",
            "/api/v1/statistics/revocations",
            $"/api/v1/statistics/inspections?fiscalYear=2023&groupBy=organizationType,prefecture&minPosition={head}",
            $"/api/v1/statistics/moc-reports?groupBy=fiscalYear,country,response&minPosition={head}",
            $"/api/v1/statistics/organizations?fiscalYear=2023&groupBy=organizationType,prefecture,category,industry&minPosition={head}",
        ];
        foreach (var path in paths)
        {
            var json = await api.GetJsonAsync(Roles.Analyst, path);
            var rows = json.GetProperty("rows");
            Assert.True(rows.GetArrayLength() > 0, path);
            var header = rows[0].EnumerateObject().Select(p => p.Name).ToList();
            var expected = ReadSide.AsTable(rows, header);
            foreach (var viaAccept in new[] { false, true })
            {
                var text = await api.GetCsvAsync(Roles.Analyst, viaAccept ? path : path + (path.Contains('?') ? "&" : "?") + "format=csv", viaAccept);
                var records = Csv.Parse(text);
                Assert.Equal(header, records[0]);
                Assert.Equal(expected, records.Skip(1).ToList());
            }
        }
    }
}
