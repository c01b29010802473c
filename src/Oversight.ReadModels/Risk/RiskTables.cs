using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.Risk;

/// <summary>The risk projection's tables: state the flags derive from, and the flags. Evidence columns: position, event id, type, business date.</summary>
internal static class RiskTables
{
    public const string Organizations = "risk_organizations";
    public const string Inspections = "risk_inspections";
    /// <summary>
    /// Findings with their evidence entry built when recorded: the flags they raise list them when read, and building the
    /// entries there would cost most of a risk page when organizations have hundreds of findings (ADR 12).
    /// </summary>
    public const string Findings = "risk_findings";
    public const string Plans = "risk_plans";
    public const string Disappearances = "risk_disappearances";
    public const string SenderReports = "risk_sender_reports";
    public const string Orders = "risk_orders";
    public const string Sanctions = "risk_so_sanctions";
    public const string Disqualifications = "risk_disqualifications";
    public const string InspectionOverdue = "risk_inspection_overdue";
    public const string Flags = "risk_flags";

    /// <summary>Every table the projection owns.</summary>
    public static readonly string[] All =
        [Organizations, Inspections, Findings, Plans, Disappearances, SenderReports, Orders, Sanctions, Disqualifications, InspectionOverdue, Flags];

    /// <summary>
    /// Work tables version 3 emptied inside every batch (the touched organizations, their recomputed flags): dead rows piled up
    /// in them between vacuums and every statement of a batch scanned them. Version 4 holds both sets in the recompute's
    /// statement (<see cref="RiskFlagSql.Recompute"/>); the names stay so that retiring version 3 drops its tables.
    /// </summary>
    public static readonly string[] Former = ["risk_touched", "risk_flags_recomputed"];

    private const string Evidence = "position bigint NOT NULL, event_id uuid NOT NULL, event_type text NOT NULL, occurred_on date";

    /// <summary>The trafficking categories as SQL literals (enum member names: letters only, checked) for the findings' generated column.</summary>
    private static string TraffickingCategoryList => string.Join(", ", RiskProjection.TraffickingCategories.Select(c =>
        c.All(char.IsAsciiLetter) ? $"'{c}'" : throw new InvalidOperationException($"Not a category name: {c}")));

    /// <summary>Tables with their indexes (and the flags' compression), created together (unnamed indexes: a rebuild's copies get their own names).</summary>
    public static string CreateSql(ProjectionTables c)
    {
        var tables = new (string Name, string Columns, string[] Indexes)[]
        {
            (Organizations, $"id uuid PRIMARY KEY, type text NOT NULL, name text NOT NULL, prefecture text, corporate_number text NOT NULL, " +
                "own_stream text NOT NULL, supervising_organization_id uuid, registered_on date NOT NULL, active boolean NOT NULL",
                ["(supervising_organization_id)", "(corporate_number)"]),
            (Inspections, "inspection_id uuid PRIMARY KEY, organization_id uuid NOT NULL", ["(organization_id)"]),
            (Findings, $"finding_id uuid PRIMARY KEY, inspection_id uuid NOT NULL, organization_id uuid NOT NULL, category text NOT NULL, " +
                $"retracted boolean NOT NULL DEFAULT false, {Evidence}, evidence jsonb NOT NULL, " +
                $"trafficking boolean GENERATED ALWAYS AS (category IN ({TraffickingCategoryList})) STORED",
                // What the flags raised by findings probe per organization and inspection (RiskFlagSql), not every finding. Trafficking
                // findings are rare and have an index of their own, which any plan uses: an index on (organization, category) read
                // every finding of the touched organizations in the recompute's generic plan (ADR 12).
                ["(organization_id) WHERE trafficking AND NOT retracted", "(organization_id, occurred_on) WHERE NOT retracted",
                 "(inspection_id, occurred_on) WHERE NOT retracted"]),
            (Plans, "io_id uuid NOT NULL, plan_number text NOT NULL, trainees integer NOT NULL, sending_organization_id uuid, " +
                "revoked boolean NOT NULL DEFAULT false, PRIMARY KEY (io_id, plan_number)",
                ["(sending_organization_id)"]),
            (Disappearances, $"io_id uuid NOT NULL, count integer NOT NULL, {Evidence}, PRIMARY KEY (position)", ["(io_id)"]),
            (SenderReports, $"sending_organization_id uuid NOT NULL, {Evidence}, PRIMARY KEY (position)", ["(sending_organization_id)"]),
            (Orders, "order_id uuid PRIMARY KEY, organization_id uuid NOT NULL, closed boolean NOT NULL DEFAULT false, " +
                "overdue_position bigint, overdue_event_id uuid, overdue_on date", ["(organization_id)"]),
            (Sanctions, $"so_id uuid NOT NULL, {Evidence}, PRIMARY KEY (position)", ["(so_id)"]),
            (Disqualifications, $"corporate_number text NOT NULL, from_on date NOT NULL, until_on date NOT NULL, source_stream text NOT NULL, {Evidence}, " +
                "PRIMARY KEY (position)", ["(corporate_number)"]),
            (InspectionOverdue, $"organization_id uuid PRIMARY KEY, due_on date NOT NULL, {Evidence}", []),
            // evidence lists the events behind a flag; a flag raised by findings leaves it null and names its findings by filter
            // instead (categories, and the business date after which they count), read with the flag (RiskQueries).
            (Flags, "organization_id uuid NOT NULL, flag text NOT NULL, level text NOT NULL, detail text NOT NULL, evidence jsonb, " +
                "finding_categories text[], findings_after date, PRIMARY KEY (organization_id, flag)", ["(flag)"]),
        };
        return string.Concat(tables.Select(t =>
        {
            var table = c.Table(t.Name);
            var then = string.Concat(t.Indexes.Select(index => $"CREATE INDEX ON {table} {index}; "));
            // A flag's evidence is rewritten whenever it changes; lz4 compresses it at a fraction of pglz's cost (where built in).
            if (t.Name == Flags)
                then += $"BEGIN ALTER TABLE {table} ALTER COLUMN evidence SET COMPRESSION lz4; EXCEPTION WHEN feature_not_supported THEN NULL; END; ";
            return $"DO $create$ BEGIN IF to_regclass('{table.Replace("\"", "", StringComparison.Ordinal)}') IS NULL THEN " +
                $"CREATE TABLE {table} ({t.Columns}); {then} END IF; END $create$;\n";
        }));
    }
}
