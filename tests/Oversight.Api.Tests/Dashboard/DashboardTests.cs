using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Oversight.Api.Tests.Support;
using Oversight.Domain.Common;
using Oversight.Security;

namespace Oversight.Api.Tests.Dashboard;

/// <summary>
/// The analysts' dashboard in headless Chromium against the API on a real socket: the charts draw exactly what the
/// statistics API answers for the same queries, the risk table lists the flagged organizations, and without an
/// analyst-level token the page shows why it has no figures while the APIs answer 401/403.
/// </summary>
public sealed class DashboardTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private const string RevocationsByYear = "/api/v1/statistics/revocations?groupBy=fiscalYear,organizationType";
    private const string RevocationsByPrefecture = "/api/v1/statistics/revocations?groupBy=prefecture";
    private const string MocByCountry = "/api/v1/statistics/moc-reports?groupBy=country";
    private const string RiskFlags = "/api/v1/risk-flags?limit=20";

    private const string FlaggedName = "Chubu Dashboard Castings K.K.";

    private ApiFactory Api => fixture.Api;

    [Fact]
    public async Task The_charts_draw_what_the_statistics_api_answers_and_the_risk_table_lists_the_flagged_organization()
    {
        _ = fixture.Browser; // Without a browser, fail before seeding.
        var (flagged, _) = await SeedAsync();
        // The follow-up work the seed causes (overdue inspections by the business clock) lands before anything is compared.
        var last = await Api.SettledAsync();

        // Read-your-writes: every read model the page uses has caught up with the last write before the page loads.
        using var analyst = Api.As(Roles.Analyst);
        var byYear = await GetAsync(analyst, $"{RevocationsByYear}&minPosition={last}");
        var byPrefecture = await GetAsync(analyst, $"{RevocationsByPrefecture}&minPosition={last}");
        var moc = await GetAsync(analyst, $"{MocByCountry}&minPosition={last}");
        var risk = await GetAsync(analyst, $"{RiskFlags}&minPosition={last}");

        // The seed is what the charts are checked against: make sure it landed as meant (7 revocations in FY2021–22, 4 MOC reports).
        Assert.Equal(7, byYear.GetProperty("total").GetInt64());
        Assert.Equal(4, moc.GetProperty("total").GetInt64());

        var page = await fixture.NewPageAsync();
        var consoleErrors = CollectConsoleErrors(page);
        await page.GotoAsync(new Uri(fixture.BaseAddress, $"/dashboard#token={Api.Token(Roles.Analyst, "analyst-1")}").ToString());
        await WaitUntilSettledAsync(page, "true");

        // The token left the address bar as soon as it was read.
        Assert.DoesNotContain("token=", page.Url, StringComparison.Ordinal);

        // Revocations by fiscal year and organization type (grouped bars).
        var figures = await FiguresAsync(page, "chart-revocations-by-year");
        Assert.Equal(RevocationsByYear, figures.GetProperty("source").GetString());
        var rows = byYear.GetProperty("rows").EnumerateArray().ToList();
        var years = rows.Select(r => r.GetProperty("fiscalYear").GetInt32()).Distinct().Order().ToList();
        string[] typeOrder = ["SupervisingOrganization", "ImplementingOrganization"];
        var types = rows.Select(r => r.GetProperty("organizationType").GetString()!).Distinct().OrderBy(t => Array.IndexOf(typeOrder, t)).ToList();
        Assert.Equal([2021, 2022], years);
        Assert.Equal(typeOrder, types);
        Assert.Equal(years, Ints(figures.GetProperty("keys")));
        Assert.Equal(years.Select(y => $"FY{y}"), Strings(figures.GetProperty("labels")));
        var datasets = figures.GetProperty("datasets").EnumerateArray().ToList();
        Assert.Equal(types, datasets.Select(d => d.GetProperty("key").GetString()));
        foreach (var (type, dataset) in types.Zip(datasets))
        {
            var expected = years.Select(y => rows.Where(r => r.GetProperty("fiscalYear").GetInt32() == y && r.GetProperty("organizationType").GetString() == type)
                .Sum(r => r.GetProperty("count").GetInt64())).ToList();
            Assert.Equal(expected, Longs(dataset.GetProperty("data")));
        }

        // Revocations by prefecture: JIS codes drawn as prefecture names, in the API's order.
        figures = await FiguresAsync(page, "chart-revocations-by-prefecture");
        Assert.Equal(RevocationsByPrefecture, figures.GetProperty("source").GetString());
        rows = [.. byPrefecture.GetProperty("rows").EnumerateArray()];
        var codes = rows.Select(r => r.GetProperty("prefecture").GetString()!).ToList();
        Assert.Equal(["01", "13", "22", "27", "40", "47"], codes);
        Assert.Equal(codes, Strings(figures.GetProperty("keys")));
        Assert.Equal(codes.Select(Prefectures.NameOf), Strings(figures.GetProperty("labels")));
        Assert.Equal(rows.Select(r => r.GetProperty("count").GetInt64()), Longs(figures.GetProperty("datasets")[0].GetProperty("data")));
        Assert.Contains("Tokyo", Strings(figures.GetProperty("labels")));

        // MOC reports by sending country: codes drawn with the country's name.
        figures = await FiguresAsync(page, "chart-moc-by-country");
        Assert.Equal(MocByCountry, figures.GetProperty("source").GetString());
        rows = [.. moc.GetProperty("rows").EnumerateArray()];
        var countries = rows.Select(r => r.GetProperty("country").GetString()!).ToList();
        Assert.Equal(["ID", "PH", "VN"], countries);
        Assert.Equal(countries, Strings(figures.GetProperty("keys")));
        Assert.All(countries.Zip(Strings(figures.GetProperty("labels"))), pair => Assert.EndsWith($"({pair.First})", pair.Second, StringComparison.Ordinal));
        Assert.Equal(rows.Select(r => r.GetProperty("count").GetInt64()), Longs(figures.GetProperty("datasets")[0].GetProperty("data")));
        Assert.Equal([1L, 1L, 2L], Longs(figures.GetProperty("datasets")[0].GetProperty("data")));

        // Every chart was really drawn by Chart.js on a canvas with a size.
        var drawn = await page.EvaluateAsync<bool[]>("() => [...document.querySelectorAll('.chart canvas')].map(c => !!Chart.getChart(c) && c.width > 0 && c.height > 0)");
        Assert.Equal([true, true, true], drawn);

        // The risk table: the API's organizations in the API's order, the flagged one with its flag and level.
        var items = risk.GetProperty("items").EnumerateArray().ToList();
        var tableIds = await page.EvalOnSelectorAllAsync<string[]>("#risk-table tbody tr", "rows => rows.map(r => r.dataset.organizationId)");
        Assert.Equal(items.Select(i => i.GetProperty("organizationId").GetString()), tableIds);
        var item = items.Single(i => i.GetProperty("organizationId").GetGuid() == flagged);
        var flag = item.GetProperty("flags").EnumerateArray().Single(f => f.GetProperty("flag").GetString() == "TraffickingIndicator");
        var row = page.Locator($"#risk-table tbody tr[data-organization-id='{flagged}']");
        Assert.Equal(FlaggedName, await row.Locator("td.name").InnerTextAsync());
        Assert.Equal("Implementing organization", await row.Locator("td.type").InnerTextAsync());
        Assert.Equal("Aichi", await row.Locator("td.prefecture").InnerTextAsync());
        Assert.Equal(item.GetProperty("score").GetDouble(), double.Parse(await row.Locator("td.score").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture), 1);
        var badge = row.Locator("span.flag[data-flag='TraffickingIndicator']");
        Assert.Equal(flag.GetProperty("level").GetString(), await badge.GetAttributeAsync("data-level"));
        Assert.Equal("High", await badge.GetAttributeAsync("data-level"));
        Assert.True(await badge.IsVisibleAsync());
        Assert.True(await page.Locator("#message").IsHiddenAsync());

        var screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"Dashboard screenshot: {screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 10_000, "The screenshot is (nearly) empty.");

        // No script error and no Content-Security-Policy violation (Chromium reports both on the console).
        Assert.Empty(consoleErrors);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Without_a_token_the_data_calls_answer_401_and_the_page_says_so()
    {
        var page = await fixture.NewPageAsync();
        var statuses = CollectApiStatuses(page);
        await page.GotoAsync(new Uri(fixture.BaseAddress, "/dashboard").ToString());
        await WaitUntilSettledAsync(page, "error");

        Assert.Equal("401", await page.GetAttributeAsync("body", "data-error-status"));
        var message = page.Locator("#message");
        Assert.True(await message.IsVisibleAsync());
        Assert.Contains("401", await message.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("token", await message.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(401, s));
        await AssertNoFiguresAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task With_an_inspector_token_the_data_calls_answer_403_and_the_page_says_so()
    {
        var page = await fixture.NewPageAsync();
        var statuses = CollectApiStatuses(page);
        await page.GotoAsync(new Uri(fixture.BaseAddress, $"/dashboard#token={Api.Token(Roles.Inspector, "inspector-1")}").ToString());
        await WaitUntilSettledAsync(page, "error");

        Assert.Equal("403", await page.GetAttributeAsync("body", "data-error-status"));
        var message = page.Locator("#message");
        Assert.True(await message.IsVisibleAsync());
        Assert.Contains("403", await message.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(4, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(403, s));
        await AssertNoFiguresAsync(page);

        // Pasting an analyst token into the box then draws the dashboard in the same tab.
        await page.FillAsync("#token-input", Api.Token(Roles.Analyst, "analyst-2"));
        await page.ClickAsync("#token-use");
        await WaitUntilSettledAsync(page, "true");
        Assert.True(await page.Locator("#message").IsHiddenAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_shell_and_its_assets_need_no_token_but_hold_no_data_and_the_apis_still_do()
    {
        using var anonymous = Api.CreateClient();
        using var shell = await anonymous.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, shell.StatusCode);
        Assert.Equal("text/html", shell.Content.Headers.ContentType?.MediaType);
        var csp = shell.Headers.GetValues("Content-Security-Policy").Single();
        foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self' data:" })
            Assert.Contains(directive, csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", shell.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await shell.Content.ReadAsStringAsync();
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html); // no inline script

        // The same shell for everyone: nothing in it depends on who asks.
        using var analyst = Api.As(Roles.Analyst);
        Assert.Equal(html, await analyst.GetStringAsync("/dashboard"));

        foreach (var asset in new[] { "/dashboard/dashboard.js", "/dashboard/dashboard.css", "/vendor/chart.js/chart.umd.min.js" })
        {
            using var response = await anonymous.GetAsync(asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
        }

        foreach (var api in new[] { RevocationsByYear, RevocationsByPrefecture, MocByCountry, RiskFlags })
            await (await anonymous.GetAsync(api)).ExpectProblem(HttpStatusCode.Unauthorized);
        using var inspector = Api.As(Roles.Inspector);
        foreach (var api in new[] { RevocationsByYear, RevocationsByPrefecture, MocByCountry, RiskFlags })
            await (await inspector.GetAsync(api)).ExpectProblem(HttpStatusCode.Forbidden);

        // Only what is in wwwroot is anonymous: any other path still needs a token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/appsettings.json")).StatusCode);
    }

    /// <summary>
    /// Supervising organizations in Tokyo (2), Osaka and Hokkaido and implementing ones in Shizuoka, Fukuoka and Okinawa have
    /// their permit or plan accreditations revoked in FY2021 and FY2022; four sending organizations (VN ×2, PH, ID) are reported
    /// under the MOC; an implementing organization in Aichi has a trafficking finding. Returns it and the last write's position.
    /// </summary>
    private async Task<(Guid Flagged, long Last)> SeedAsync()
    {
        using var officer = Api.As(Roles.Officer);

        async Task<Guid> SupervisingAsync(string prefecture) => (await WriteAsync(officer, "/api/v1/supervising-organizations", new
        {
            permitNumber = TestData.PermitNumber(),
            corporateNumber = TestData.CorporateNumber(),
            name = $"Supervising Cooperative {prefecture}",
            prefecture,
            category = "General",
            permitFrom = "2020-04-01",
            permitTo = "2025-03-31",
        })).Id();

        async Task<Guid> ImplementingAsync(Guid supervisor, string prefecture, string name) => (await WriteAsync(officer, "/api/v1/implementing-organizations", new
        {
            corporateNumber = TestData.CorporateNumber(),
            name,
            prefecture,
            industry = "Casting",
            supervisingOrganizationId = supervisor,
            registeredOn = "2020-06-01",
        })).Id();

        async Task RevokePermitAsync(Guid id, string effectiveOn) =>
            await WriteAsync(officer, $"/api/v1/supervising-organizations/{id}/revocation",
                new { effectiveOn, legalBasis = "Art.37(1)(iv)", reason = "Falsified audit reports on implementing organizations." });

        async Task RevokePlansAsync(Guid id, int fiscalYear, string effectiveOn)
        {
            await WriteAsync(officer, $"/api/v1/implementing-organizations/{id}/training-plans", new
            {
                planNumber = TestData.PlanNumber(),
                type = "No1",
                trainees = 3,
                sendingCountry = "VN",
                from = $"{fiscalYear}-04-01",
                to = $"{fiscalYear + 1}-03-31",
                accreditedOn = $"{fiscalYear}-03-01",
            });
            await WriteAsync(officer, $"/api/v1/implementing-organizations/{id}/plan-revocations",
                new { effectiveOn, legalBasis = "Art.16(1)(iv)", reason = "False reports on working hours." });
        }

        async Task ReportAsync(string country, string reportedOn)
        {
            var sender = (await WriteAsync(officer, "/api/v1/sending-organizations", new { country, name = $"Manpower Export {country}", licenceId = $"{country}-LD-0427" })).Id();
            await WriteAsync(officer, $"/api/v1/sending-organizations/{sender}/moc-reports",
                new { reportedOn, reasons = new[] { "HighDisappearanceRate" }, details = "Disappearances three times the average." });
        }

        var supervisor = await SupervisingAsync("23");
        var shizuoka = await ImplementingAsync(supervisor, "22", "Shizuoka Precision Castings Co., Ltd.");
        var fukuoka = await ImplementingAsync(supervisor, "40", "Hakata Foundry Co., Ltd.");
        var okinawa = await ImplementingAsync(supervisor, "47", "Naha Marine Products Co., Ltd.");
        var flagged = await ImplementingAsync(supervisor, "23", FlaggedName);

        await RevokePermitAsync(await SupervisingAsync("13"), "2021-10-01"); // FY2021
        await RevokePermitAsync(await SupervisingAsync("13"), "2022-05-20"); // FY2022
        await RevokePermitAsync(await SupervisingAsync("27"), "2022-07-01"); // FY2022
        await RevokePermitAsync(await SupervisingAsync("01"), "2023-03-15"); // FY2022 (April–March)
        await RevokePlansAsync(shizuoka, 2021, "2022-02-01");                // FY2021
        await RevokePlansAsync(fukuoka, 2022, "2022-09-01");                 // FY2022
        await RevokePlansAsync(okinawa, 2022, "2022-11-01");                 // FY2022

        await ReportAsync("VN", "2022-06-15");
        await ReportAsync("VN", "2023-05-10");
        await ReportAsync("PH", "2022-08-01");
        await ReportAsync("ID", "2021-12-01");

        var inspection = await Api.ScheduleInspectionAsync(flagged);
        using var inspector = Api.As(Roles.Inspector);
        var finding = await WriteAsync(inspector, $"/api/v1/inspections/{inspection}/findings", new
        {
            category = "ConfiscatedPassportOrResidenceCard",
            severity = "Critical",
            legalBasis = "Art.48(1)",
            traineesAffected = 3,
            observedOn = "2023-06-01",
            narrative = "Passports of three trainees kept in the office safe.",
        });
        return (flagged, finding.Position());
    }

    private static async Task<JsonElement> WriteAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path) => await (await client.GetAsync(path)).Expect(HttpStatusCode.OK);

    /// <summary>Waits until the page has drawn everything (<c>true</c>) or given up (<c>error</c>), then asserts which.</summary>
    private static async Task WaitUntilSettledAsync(IPage page, string expected)
    {
        await page.WaitForSelectorAsync("body[data-ready='true'], body[data-ready='error']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        var state = await page.GetAttributeAsync("body", "data-ready");
        if (state != expected)
        {
            var message = await page.Locator("#message").InnerTextAsync();
            Assert.Fail($"The dashboard settled as '{state}', expected '{expected}'. Its message: {message}");
        }
    }

    private static async Task<JsonElement> FiguresAsync(IPage page, string chartId)
    {
        var json = await page.GetAttributeAsync($"#{chartId}", "data-figures");
        Assert.False(string.IsNullOrEmpty(json), $"#{chartId} has no data-figures.");
        return JsonDocument.Parse(json!).RootElement.Clone();
    }

    private static async Task AssertNoFiguresAsync(IPage page)
    {
        foreach (var id in new[] { "chart-revocations-by-year", "chart-revocations-by-prefecture", "chart-moc-by-country" })
            Assert.True(string.IsNullOrEmpty(await page.GetAttributeAsync($"#{id}", "data-figures")), $"#{id} shows figures without an analyst token.");
        Assert.Equal(0, await page.Locator("#risk-table tbody tr").CountAsync());
    }

    private static List<string> CollectConsoleErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (errors) errors.Add(message.Text);
        };
        page.PageError += (_, error) =>
        {
            lock (errors) errors.Add(error);
        };
        return errors;
    }

    /// <summary>The statuses of the page's calls to the JSON APIs, as the browser saw them.</summary>
    private static List<int> CollectApiStatuses(IPage page)
    {
        var statuses = new List<int>();
        page.Response += (_, response) =>
        {
            if (new Uri(response.Url).AbsolutePath.StartsWith("/api/", StringComparison.Ordinal)) lock (statuses) statuses.Add(response.Status);
        };
        return statuses;
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static List<int> Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToList();

    private static List<long> Longs(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToList();
}
