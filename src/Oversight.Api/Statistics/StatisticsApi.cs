using Oversight.Api.Http;
using Oversight.Api.Infrastructure;
using Oversight.Api.Security;
using Oversight.ReadModels.Statistics;
using Oversight.ReadModels.Storage;

namespace Oversight.Api.Statistics;

/// <summary>
/// Statistics for analysts by Japanese fiscal year (April–March) of the business date, grouped by the requested
/// dimensions; JSON <c>{"rows":[…],"total":n}</c> or text/csv. No personal data: organizations are counted, never named.
/// </summary>
internal static class StatisticsApi
{
    public static RouteGroupBuilder MapStatistics(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/statistics").WithTags("Statistics").RequireAuthorization(Policies.Analyse);
        group.MapGet("/revocations", Revocations).Describe("Permit and plan-accreditation revocations (count of acts; plansRevoked)", StatisticsQueries.RevocationDimensions);
        group.MapGet("/inspections", Inspections).Describe("Inspections done vs due, overdue and coverage in one fiscal year", StatisticsQueries.InspectionDimensions);
        group.MapGet("/moc-reports", MocReports).Describe("Sending organizations reported under the MOC, by country and the country's response", StatisticsQueries.MocDimensions);
        group.MapGet("/organizations", Organizations).Describe("Organizations permitted (supervising) or registered (implementing) at the end of a fiscal year",
            StatisticsQueries.OrganizationDimensions);
        group.MapGet("/training-plans", TrainingPlans).Describe(
            "Training plans accredited on or before asOf (cumulative; plans counts one plan per trainee, as the official figure does)", StatisticsQueries.PlanDimensions);
        group.MapGet("/correction-orders", CorrectionOrders).Describe(
            "Correction orders issued in a fiscalYear or a calendarYear, by issuer, kind and the kind of inspection they follow", StatisticsQueries.OrderDimensions);
        group.MapGet("/completed-inspections", CompletedInspections).Describe(
            "Inspections completed in a fiscalYear or a calendarYear, by kind (e.g. joint with a Labour Standards Inspection Office)",
            StatisticsQueries.CompletedInspectionDimensions);
        return group;
    }

    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, string summary, IReadOnlyList<Dimension> dimensions) =>
        endpoint.WithSummary(summary).WithDescription($"groupBy: any of {string.Join(", ", dimensions.Select(d => d.Name))}, comma-separated. "
                + "minPosition: wait (≤ 5 s) until the statistics include the write at that X-Event-Position.")
            .Produces<StatisticsResult>().Produces(StatusCodes.Status200OK, contentType: CsvOutput.MediaType).ProducesValidationProblem();

    private static async Task<IResult> Revocations(int? fromFiscalYear, int? toFiscalYear, string? groupBy, long? minPosition, string? format,
        HttpContext http, StatisticsContext statistics, CancellationToken ct)
    {
        var (dimensions, csv) = Validate(http, groupBy, StatisticsQueries.RevocationDimensions, format, v => Range(v, fromFiscalYear, toFiscalYear));
        await statistics.WaitAsync(minPosition, ct);
        var result = await StatisticsQueries.RevocationsAsync(statistics.DataSource, statistics.Tables, fromFiscalYear, toFiscalYear, dimensions, ct);
        return Respond(result, csv, "revocations");
    }

    private static async Task<IResult> MocReports(int? fromFiscalYear, int? toFiscalYear, string? groupBy, long? minPosition, string? format,
        HttpContext http, StatisticsContext statistics, CancellationToken ct)
    {
        var (dimensions, csv) = Validate(http, groupBy, StatisticsQueries.MocDimensions, format, v => Range(v, fromFiscalYear, toFiscalYear));
        await statistics.WaitAsync(minPosition, ct);
        var result = await StatisticsQueries.MocReportsAsync(statistics.DataSource, statistics.Tables, fromFiscalYear, toFiscalYear, dimensions, ct);
        return Respond(result, csv, "moc-reports");
    }

    private static async Task<IResult> Inspections(int? fiscalYear, string? groupBy, long? minPosition, string? format,
        HttpContext http, StatisticsContext statistics, TimeProvider clock, CancellationToken ct)
    {
        var year = fiscalYear ?? Domain.Common.FiscalYear.Of(clock.GetUtcNow());
        var (dimensions, csv) = Validate(http, groupBy, StatisticsQueries.InspectionDimensions, format, v => Range(v, year, year));
        await statistics.WaitAsync(minPosition, ct);
        var result = await StatisticsQueries.InspectionsAsync(statistics.DataSource, statistics.Tables, year, dimensions, ct);
        return Respond(result, csv, "inspections");
    }

    private static async Task<IResult> Organizations(int? fiscalYear, string? groupBy, long? minPosition, string? format,
        HttpContext http, StatisticsContext statistics, TimeProvider clock, CancellationToken ct)
    {
        var year = fiscalYear ?? Domain.Common.FiscalYear.Of(clock.GetUtcNow());
        var (dimensions, csv) = Validate(http, groupBy, StatisticsQueries.OrganizationDimensions, format, v => Range(v, year, year));
        await statistics.WaitAsync(minPosition, ct);
        var result = await StatisticsQueries.OrganizationsAsync(statistics.DataSource, statistics.Tables, year, dimensions, ct);
        return Respond(result, csv, "organizations");
    }

    private static async Task<IResult> TrainingPlans(DateOnly? asOf, string? groupBy, long? minPosition, string? format,
        HttpContext http, StatisticsContext statistics, TimeProvider clock, CancellationToken ct)
    {
        var on = asOf ?? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Domain.Common.FiscalYear.Tokyo).DateTime);
        var (dimensions, csv) = Validate(http, groupBy, StatisticsQueries.PlanDimensions, format, v => v.Date(on, "asOf"));
        await statistics.WaitAsync(minPosition, ct);
        return Respond(await StatisticsQueries.TrainingPlansAsync(statistics.DataSource, statistics.Tables, on, dimensions, ct), csv, "training-plans");
    }

    private static Task<IResult> CorrectionOrders(int? fiscalYear, int? calendarYear, string? groupBy, long? minPosition, string? format,
        HttpContext http, StatisticsContext statistics, TimeProvider clock, CancellationToken ct) =>
        InPeriodAsync(fiscalYear, calendarYear, groupBy, minPosition, format, http, statistics, clock, StatisticsQueries.OrderDimensions,
            StatisticsQueries.CorrectionOrdersAsync, "correction-orders", ct);

    private static Task<IResult> CompletedInspections(int? fiscalYear, int? calendarYear, string? groupBy, long? minPosition, string? format,
        HttpContext http, StatisticsContext statistics, TimeProvider clock, CancellationToken ct) =>
        InPeriodAsync(fiscalYear, calendarYear, groupBy, minPosition, format, http, statistics, clock, StatisticsQueries.CompletedInspectionDimensions,
            StatisticsQueries.CompletedInspectionsAsync, "completed-inspections", ct);

    private static async Task<IResult> InPeriodAsync(int? fiscalYear, int? calendarYear, string? groupBy, long? minPosition, string? format,
        HttpContext http, StatisticsContext statistics, TimeProvider clock, IReadOnlyList<Dimension> allowed,
        Func<Npgsql.NpgsqlDataSource, Persistence.Projections.ProjectionTables, DateOnly, DateOnly, IReadOnlyList<Dimension>, CancellationToken, Task<StatisticsResult>> query,
        string name, CancellationToken ct)
    {
        var period = Period(fiscalYear, calendarYear, clock);
        var (dimensions, csv) = Validate(http, groupBy, allowed, format, v => PeriodValid(v, fiscalYear, calendarYear));
        await statistics.WaitAsync(minPosition, ct);
        return Respond(await query(statistics.DataSource, statistics.Tables, period.From, period.To, dimensions, ct), csv, name);
    }

    /// <summary>A Japanese fiscal year (April–March) or, where the official figure is calendar-based, a calendar year; the current fiscal year by default.</summary>
    private static (DateOnly From, DateOnly To) Period(int? fiscalYear, int? calendarYear, TimeProvider clock) => calendarYear is { } year
        ? (new DateOnly(Math.Clamp(year, 2000, 2099), 1, 1), new DateOnly(Math.Clamp(year, 2000, 2099), 12, 31))
        : (StatisticsQueries.Start(Math.Clamp(fiscalYear ?? Domain.Common.FiscalYear.Of(clock.GetUtcNow()), 2000, 2099)),
            StatisticsQueries.End(Math.Clamp(fiscalYear ?? Domain.Common.FiscalYear.Of(clock.GetUtcNow()), 2000, 2099)));

    private static void PeriodValid(Validation v, int? fiscalYear, int? calendarYear)
    {
        if (fiscalYear is not null && calendarYear is not null) v.Add("calendarYear", "Give a fiscalYear or a calendarYear, not both.");
        if (fiscalYear is < 2000 or > 2099) v.Add("fiscalYear", "A fiscal year between 2000 and 2099.");
        if (calendarYear is < 2000 or > 2099) v.Add("calendarYear", "A calendar year between 2000 and 2099.");
    }

    private static (IReadOnlyList<Dimension> Dimensions, bool Csv) Validate(HttpContext http, string? groupBy, IReadOnlyList<Dimension> allowed, string? format,
        Action<Validation> more)
    {
        var v = new Validation();
        var dimensions = StatisticsQueries.Parse(groupBy, allowed, out var unknown);
        if (dimensions is null) v.Add("groupBy", $"'{unknown}' is not a dimension here; use any of {string.Join(", ", allowed.Select(d => d.Name))}.");
        var csv = v.Parse("format", () => CsvOutput.Wanted(http.Request, format));
        more(v);
        v.ThrowIfInvalid();
        return (dimensions!, csv);
    }

    private static void Range(Validation v, int? from, int? to)
    {
        if (from is < 2000 or > 2099) v.Add("fromFiscalYear", "A fiscal year between 2000 and 2099.");
        if (to is < 2000 or > 2099) v.Add("toFiscalYear", "A fiscal year between 2000 and 2099.");
        if (from > to) v.Add("toFiscalYear", "Must not be before fromFiscalYear.");
    }

    private static IResult Respond(StatisticsResult result, bool csv, string name)
    {
        if (!csv) return Results.Ok(result);
        var columns = result.Rows.Count == 0 ? ["count"] : result.Rows[0].Keys.ToList();
        return CsvOutput.Write(columns, result.Rows.Select(r => (IReadOnlyList<object?>)columns.Select(c => r.GetValueOrDefault(c)).ToList()), $"{name}.csv");
    }
}

/// <summary>Where the statistics live and how to wait for them to include a write.</summary>
internal sealed class StatisticsContext(ReadModelDatabase readModels, ReadYourWrites wait, ReadModelCatalog catalog)
{
    public Npgsql.NpgsqlDataSource DataSource => readModels.DataSource;
    public Oversight.Persistence.Projections.ProjectionTables Tables => catalog.Tables(StatisticsProjection.ProjectionName);

    public Task WaitAsync(long? minPosition, CancellationToken ct) => wait.WaitAsync(StatisticsProjection.ProjectionName, minPosition, ct);
}
