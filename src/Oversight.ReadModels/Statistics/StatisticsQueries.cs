using Npgsql;
using NpgsqlTypes;
using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.Statistics;

/// <summary>Rows keyed by the requested dimensions, then the measures; <c>total</c> sums the main measure.</summary>
public sealed record StatisticsResult(IReadOnlyList<Dictionary<string, object?>> Rows, long Total);

/// <summary>A dimension analysts may group by, and the SQL expression behind it (fixed text: never user input).</summary>
public sealed record Dimension(string Name, string Sql);

/// <summary>
/// Statistics over the fact tables, grouped by any of the allowed dimensions, by Japanese fiscal year of the
/// business date. Only whitelisted column expressions reach the SQL text; every value is a parameter.
/// </summary>
public static class StatisticsQueries
{
    public static readonly IReadOnlyList<Dimension> RevocationDimensions =
    [
        new("fiscalYear", "r.fiscal_year"), new("organizationType", "r.organization_type"), new("prefecture", "r.prefecture"),
        new("industry", "r.industry"), new("legalBasis", "r.legal_basis"),
    ];

    public static readonly IReadOnlyList<Dimension> InspectionDimensions =
        [new("organizationType", "o.type"), new("prefecture", "o.prefecture")];

    public static readonly IReadOnlyList<Dimension> MocDimensions =
        [new("fiscalYear", "m.fiscal_year"), new("country", "m.country"), new("response", "m.response")];

    public static readonly IReadOnlyList<Dimension> OrganizationDimensions =
        [new("organizationType", "o.type"), new("prefecture", "o.prefecture"), new("category", "o.category"), new("industry", "o.industry")];

    /// <summary>Revocation acts (a permit, or an implementing organization's plan accreditations) by fiscal year of their effective date.</summary>
    public static async Task<StatisticsResult> RevocationsAsync(NpgsqlDataSource dataSource, ProjectionTables tables, int? fromFiscalYear, int? toFiscalYear,
        IReadOnlyList<Dimension> groupBy, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {Select(groupBy)} count(*) AS count, sum(r.plans) AS plans
              FROM {tables.Table(StatisticsProjection.Revocations)} r
             WHERE ($1::int IS NULL OR r.fiscal_year >= $1) AND ($2::int IS NULL OR r.fiscal_year <= $2)
             {GroupBy(groupBy)}
            """;
        var rows = await QueryAsync(dataSource, sql, groupBy, ["count", "plansRevoked"], cancellationToken, Int(fromFiscalYear), Int(toFiscalYear));
        return new StatisticsResult(rows, rows.Sum(r => (long)r["count"]!));
    }

    /// <summary>
    /// MOC reports by fiscal year of the report, the sending country and its latest response ("None" until one arrives): only
    /// reports made under a memorandum in force with the country on their date.
    /// </summary>
    public static async Task<StatisticsResult> MocReportsAsync(NpgsqlDataSource dataSource, ProjectionTables tables, int? fromFiscalYear, int? toFiscalYear,
        IReadOnlyList<Dimension> groupBy, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {Select(groupBy)} count(*) AS count, count(DISTINCT m.sending_organization_id) AS sending_organizations
              FROM {tables.Table(StatisticsProjection.MocReports)} m
             WHERE ($1::int IS NULL OR m.fiscal_year >= $1) AND ($2::int IS NULL OR m.fiscal_year <= $2)
               AND EXISTS (SELECT 1 FROM {tables.Table(StatisticsProjection.MocAgreements)} a
                            WHERE a.country = m.country AND m.reported_on >= a.in_force_from AND (a.ended_on IS NULL OR m.reported_on < a.ended_on))
             {GroupBy(groupBy)}
            """;
        var rows = await QueryAsync(dataSource, sql, groupBy, ["count", "sendingOrganizations"], cancellationToken, Int(fromFiscalYear), Int(toFiscalYear));
        return new StatisticsResult(rows, rows.Sum(r => (long)r["count"]!));
    }

    /// <summary>Organizations holding a permit (supervising) or registered and not fully revoked (implementing) at the end of the fiscal year.</summary>
    public static async Task<StatisticsResult> OrganizationsAsync(NpgsqlDataSource dataSource, ProjectionTables tables, int fiscalYear,
        IReadOnlyList<Dimension> groupBy, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {Select(groupBy)} count(*) AS count
              FROM {tables.Table(StatisticsProjection.Organizations)} o
             WHERE o.registered_on <= $1 AND (o.ended_on IS NULL OR o.ended_on > $1)
             {GroupBy(groupBy)}
            """;
        var rows = await QueryAsync(dataSource, sql, groupBy, ["count"], cancellationToken, Date(End(fiscalYear)));
        return new StatisticsResult(rows, rows.Sum(r => (long)r["count"]!));
    }

    /// <summary>
    /// Inspections in a fiscal year: <c>done</c> (completed in the year), <c>organizationsInspected</c>, and for the organizations
    /// active at the year's end: how many were <c>due</c> (12 months for supervising, 36 for implementing organizations since the
    /// last completed inspection before the year, or since registration), how many of those were not inspected in the year
    /// (<c>overdue</c>), and <c>coveragePercent</c> = (due − overdue) / due.
    /// </summary>
    public static async Task<StatisticsResult> InspectionsAsync(NpgsqlDataSource dataSource, ProjectionTables tables, int fiscalYear,
        IReadOnlyList<Dimension> groupBy, CancellationToken cancellationToken)
    {
        var inspections = tables.Table(StatisticsProjection.Inspections);
        var organizations = tables.Table(StatisticsProjection.Organizations);
        var done = $"""
            SELECT {Select(groupBy)} count(*) AS done, count(DISTINCT i.organization_id) AS inspected
              FROM {inspections} i JOIN {organizations} o ON o.id = i.organization_id
             WHERE i.completed_on BETWEEN $1 AND $2
             {GroupBy(groupBy)}
            """;
        var due = $"""
            SELECT {Select(groupBy)} count(*) AS organizations,
                   count(*) FILTER (WHERE o.due) AS due, count(*) FILTER (WHERE o.due AND NOT o.inspected) AS overdue
              FROM (SELECT o.*,
                           coalesce((SELECT max(i.completed_on) FROM {inspections} i WHERE i.organization_id = o.id AND i.completed_on < $1), o.registered_on)
                             + CASE WHEN o.type = 'SupervisingOrganization' THEN interval '12 months' ELSE interval '36 months' END <= $2 AS due,
                           EXISTS (SELECT 1 FROM {inspections} i WHERE i.organization_id = o.id AND i.completed_on BETWEEN $1 AND $2) AS inspected
                      FROM {organizations} o
                     WHERE o.type IN ('SupervisingOrganization', 'ImplementingOrganization')
                       AND o.registered_on <= $2 AND (o.ended_on IS NULL OR o.ended_on > $2)) o
             {GroupBy(groupBy)}
            """;
        var (start, end) = (Start(fiscalYear), End(fiscalYear));
        var doneRows = await QueryAsync(dataSource, done, groupBy, ["done", "organizationsInspected"], cancellationToken, Date(start), Date(end));
        var dueRows = await QueryAsync(dataSource, due, groupBy, ["organizations", "due", "overdue"], cancellationToken, Date(start), Date(end));

        // Full outer join of the two by their dimension values.
        string Key(Dictionary<string, object?> row) => string.Join('\u001f', groupBy.Select(d => row[d.Name]?.ToString()));
        var merged = new SortedDictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var row in dueRows.Concat(doneRows))
        {
            if (!merged.TryGetValue(Key(row), out var target))
            {
                target = groupBy.ToDictionary(d => d.Name, d => row[d.Name]);
                target["fiscalYear"] = fiscalYear;
                foreach (var measure in (string[])["done", "organizationsInspected", "organizations", "due", "overdue"]) target[measure] = 0L;
                merged[Key(row)] = target;
            }
            foreach (var (name, value) in row) if (groupBy.All(d => d.Name != name)) target[name] = value;
        }
        foreach (var row in merged.Values)
        {
            var dueCount = (long)row["due"]!;
            row["coveragePercent"] = dueCount == 0 ? null : Math.Round(100.0 * (dueCount - (long)row["overdue"]!) / dueCount, 1);
        }
        var rows = merged.Values.ToList();
        return new StatisticsResult(rows, rows.Sum(r => (long)r["done"]!));
    }

    public static readonly IReadOnlyList<Dimension> PlanDimensions = [new("type", "p.type"), new("country", "p.country")];

    public static readonly IReadOnlyList<Dimension> OrderDimensions =
    [
        new("issuer", "c.issuer"), new("kind", "c.kind"), new("inspectionKind", "c.inspection_kind"), new("organizationType", "c.organization_type"),
    ];

    public static readonly IReadOnlyList<Dimension> CompletedInspectionDimensions =
        [new("kind", "i.kind"), new("organizationType", "i.organization_type")];

    /// <summary>
    /// Training plans accredited on or before <paramref name="asOf"/> (cumulative, revoked ones included): <c>plans</c> counts one
    /// plan per trainee, as the official figure does, whatever the number of trainees an accreditation covers; <c>accreditations</c>
    /// counts the accreditations recorded.
    /// </summary>
    public static async Task<StatisticsResult> TrainingPlansAsync(NpgsqlDataSource dataSource, ProjectionTables tables, DateOnly asOf,
        IReadOnlyList<Dimension> groupBy, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {Select(groupBy)} sum(p.trainees)::bigint AS plans, count(*) AS accreditations
              FROM {tables.Table(StatisticsProjection.Plans)} p
             WHERE p.accredited_on <= $1
             {GroupBy(groupBy)}
            """;
        var rows = await QueryAsync(dataSource, sql, groupBy, ["plans", "accreditations"], cancellationToken, Date(asOf));
        return new StatisticsResult(rows, rows.Sum(r => (long)r["plans"]!));
    }

    /// <summary>Correction orders issued in a period (fiscal or calendar), by issuer, kind, and the kind of inspection they follow.</summary>
    public static Task<StatisticsResult> CorrectionOrdersAsync(NpgsqlDataSource dataSource, ProjectionTables tables, DateOnly from, DateOnly to,
        IReadOnlyList<Dimension> groupBy, CancellationToken cancellationToken) =>
        CountInPeriodAsync(dataSource, $"{tables.Table(StatisticsProjection.Orders)} c", "c.issued_on", from, to, groupBy, cancellationToken);

    /// <summary>Inspections completed in a period (fiscal or calendar), by kind (regular, unannounced, joint with a labour office) and organization type.</summary>
    public static Task<StatisticsResult> CompletedInspectionsAsync(NpgsqlDataSource dataSource, ProjectionTables tables, DateOnly from, DateOnly to,
        IReadOnlyList<Dimension> groupBy, CancellationToken cancellationToken) =>
        CountInPeriodAsync(dataSource, $"{tables.Table(StatisticsProjection.Inspections)} i", "i.completed_on", from, to, groupBy, cancellationToken);

    /// <summary>Rows of <paramref name="source"/> (a table and its alias) whose <paramref name="dateColumn"/> falls in the period, counted by the dimensions.</summary>
    private static async Task<StatisticsResult> CountInPeriodAsync(NpgsqlDataSource dataSource, string source, string dateColumn, DateOnly from, DateOnly to,
        IReadOnlyList<Dimension> groupBy, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {Select(groupBy)} count(*) AS count
              FROM {source}
             WHERE {dateColumn} BETWEEN $1 AND $2
             {GroupBy(groupBy)}
            """;
        var rows = await QueryAsync(dataSource, sql, groupBy, ["count"], cancellationToken, Date(from), Date(to));
        return new StatisticsResult(rows, rows.Sum(r => (long)r["count"]!));
    }

    /// <summary>Parses <c>groupBy=a,b</c> against the allowed dimensions; null with the offending name when one is unknown.</summary>
    public static IReadOnlyList<Dimension>? Parse(string? groupBy, IReadOnlyList<Dimension> allowed, out string? unknown)
    {
        unknown = null;
        var result = new List<Dimension>();
        foreach (var name in (groupBy ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dimension = allowed.FirstOrDefault(d => d.Name == name);
            if (dimension is null)
            {
                unknown = name;
                return null;
            }
            if (!result.Contains(dimension)) result.Add(dimension);
        }
        return result;
    }

    public static DateOnly Start(int fiscalYear) => new(fiscalYear, 4, 1);
    public static DateOnly End(int fiscalYear) => new(fiscalYear + 1, 3, 31);

    private static string Select(IReadOnlyList<Dimension> groupBy) => string.Concat(groupBy.Select(d => $"{d.Sql} AS \"{d.Name}\", "));

    private static string GroupBy(IReadOnlyList<Dimension> groupBy) =>
        groupBy.Count == 0 ? "" : $"GROUP BY {string.Join(", ", groupBy.Select(d => d.Sql))} ORDER BY {string.Join(", ", groupBy.Select(d => d.Sql))}";

    private static async Task<List<Dictionary<string, object?>>> QueryAsync(NpgsqlDataSource dataSource, string sql, IReadOnlyList<Dimension> groupBy,
        string[] measures, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < groupBy.Count; i++) row[groupBy[i].Name] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            for (var m = 0; m < measures.Length; m++) row[measures[m]] = reader.IsDBNull(groupBy.Count + m) ? 0L : Convert.ToInt64(reader.GetValue(groupBy.Count + m), System.Globalization.CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        return rows;
    }

    private static NpgsqlParameter Int(int? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer };
    private static NpgsqlParameter Date(DateOnly value) => new NpgsqlParameter<DateOnly> { TypedValue = value };
}
