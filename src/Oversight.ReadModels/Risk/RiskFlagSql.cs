using Npgsql;
using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.Risk;

/// <summary>
/// Recomputes the flags of the touched organizations from the projection's state and writes those that changed; each flag
/// carries its evidence (the events behind it), or for the flags findings raise, the filter that names them.
/// </summary>
internal static class RiskFlagSql
{
    /// <summary>One event behind a flag, as the flag lists it (findings store theirs when recorded: see <see cref="RiskTables.Findings"/>).</summary>
    internal static string Evidence(string alias) =>
        $"jsonb_build_object('position', {alias}.position, 'eventId', {alias}.event_id, 'type', {alias}.event_type, 'occurredOn', {alias}.occurred_on)";

    /// <summary>
    /// The recompute's plan made once per connection, not per batch: its sets come from subqueries that no plan knows in advance,
    /// so a generic plan reads what a custom one reads, while planning the statement cost nearly as much as running it (1.6 against
    /// 2.3–3.3 ms idle, 5.4 against 7.4 ms under the write load; pg_stat_statements, ADR 12). PostgreSQL's own choice kept the
    /// custom plans.
    /// For the rest of the batch's transaction; the statement is prepared once it has run a few times (Npgsql's automatic preparation).
    /// </summary>
    public static NpgsqlBatchCommand GenericPlan() => new("SET LOCAL plan_cache_mode = force_generic_plan");

    /// <summary>
    /// One statement: the touched organizations (<paramref name="touched"/>, a query with its parameters), their flags
    /// recomputed, the flags that are gone deleted and only those that differ written (most batches change no conclusion).
    /// The sets are the statement's CTEs: work tables emptied in every batch grew with dead rows that every later statement
    /// scanned until a vacuum came (ADR 12).
    /// </summary>
    public static NpgsqlBatchCommand Recompute(ProjectionTables c, RiskOptions options, (string Sql, NpgsqlParameter[] Parameters) touched)
    {
        string T(string table) => c.Table(table);
        var n = touched.Parameters.Length;
        var (categories, years, disappearanceWarn, disappearanceHigh) = ($"${n + 1}", $"${n + 2}", $"${n + 3}", $"${n + 4}");
        // ANY(ARRAY(...)) evaluates the set once, and the planner keeps the index scans it uses with an array parameter.
        const string inTouched = "ANY(ARRAY(SELECT id FROM touched))";
        var flags = T(RiskTables.Flags);
        const string columns = "organization_id, flag, level, detail, evidence, finding_categories, findings_after";
        const string noFilter = "NULL::text[], NULL::date";

        // The two flags raised by findings name their evidence by a filter over the organization's findings, read when the flag is
        // read (RiskQueries): rewriting every finding's entry into the flag with each batch cost most of the projection (ADR 12).
        // Both probe indexes: the trafficking findings of each organization (a partial index); its latest finding, then each of its inspections
        // for one finding within the years before it (not every finding of the organization).
        var command = new NpgsqlBatchCommand($"""
            WITH touched AS MATERIALIZED ({touched.Sql}),
            latest AS MATERIALIZED (
                 SELECT t.id, ((SELECT max(f.occurred_on) FROM {T(RiskTables.Findings)} f WHERE f.organization_id = t.id AND NOT f.retracted)
                               - make_interval(years => {years}))::date AS after
                   FROM unnest(ARRAY(SELECT id FROM touched)) AS t(id)),
            recomputed ({columns}) AS MATERIALIZED (
                SELECT o.organization_id, 'InspectionOverdue', 'Warn', 'No inspection since the due date ' || o.due_on, jsonb_build_array({Evidence("o")}), {noFilter}
                  FROM {T(RiskTables.InspectionOverdue)} o JOIN {T(RiskTables.Organizations)} g ON g.id = o.organization_id
                 WHERE o.organization_id = {inTouched} AND g.active
                UNION ALL
                SELECT r.organization_id, 'CorrectionOverdue', 'High', count(*) || ' correction order(s) past their due date without verified correction',
                       jsonb_agg(jsonb_build_object('position', r.overdue_position, 'eventId', r.overdue_event_id, 'type', 'CorrectionOrderOverdue', 'occurredOn', r.overdue_on)
                                 ORDER BY r.overdue_position), {noFilter}
                  FROM {T(RiskTables.Orders)} r
                 WHERE r.organization_id = {inTouched} AND r.overdue_position IS NOT NULL AND NOT r.closed
                 GROUP BY r.organization_id
                UNION ALL
                SELECT f.organization_id, 'TraffickingIndicator', 'High', count(*) || ' finding(s): ' || string_agg(DISTINCT f.category, ', '), NULL, {categories}, NULL
                  FROM {T(RiskTables.Findings)} f
                 WHERE f.organization_id = {inTouched} AND f.trafficking AND NOT f.retracted
                 GROUP BY f.organization_id
                UNION ALL
                SELECT o.id, 'RepeatViolations', CASE WHEN count(*) >= 3 THEN 'High' ELSE 'Warn' END,
                       'Findings in ' || count(*) || ' inspections within ' || {years} || ' years', NULL, NULL, o.after
                  FROM latest o JOIN {T(RiskTables.Inspections)} i ON i.organization_id = o.id
                 WHERE EXISTS (SELECT 1 FROM {T(RiskTables.Findings)} f WHERE f.inspection_id = i.inspection_id AND NOT f.retracted AND f.occurred_on > o.after)
                 GROUP BY o.id, o.after
                HAVING count(*) >= 2
                UNION ALL
                SELECT d.io_id, 'Disappearances', CASE WHEN d.missing >= {disappearanceHigh} * greatest(p.trainees, 1) THEN 'High' ELSE 'Warn' END,
                       d.missing || ' of ' || p.trainees || ' trainees reported missing', d.evidence, {noFilter}
                  FROM (SELECT d.io_id, sum(d.count) AS missing, jsonb_agg({Evidence("d")} ORDER BY d.position) AS evidence
                          FROM {T(RiskTables.Disappearances)} d WHERE d.io_id = {inTouched} GROUP BY d.io_id) d
                  JOIN (SELECT io_id, sum(trainees) AS trainees FROM {T(RiskTables.Plans)} WHERE io_id = {inTouched} GROUP BY io_id) p ON p.io_id = d.io_id
                 WHERE d.missing >= {disappearanceWarn} * greatest(p.trainees, 1)
                UNION ALL
                SELECT o.id, 'SupervisorSanctioned', CASE WHEN bool_or(s.event_type = 'PermitRevoked') THEN 'High' ELSE 'Warn' END,
                       'Its supervising organization was ' || string_agg(DISTINCT CASE s.event_type WHEN 'PermitRevoked' THEN 'revoked' ELSE 'suspended' END, ' and '),
                       jsonb_agg({Evidence("s")} ORDER BY s.position), {noFilter}
                  FROM {T(RiskTables.Organizations)} o JOIN {T(RiskTables.Sanctions)} s ON s.so_id = o.supervising_organization_id
                 WHERE o.id = {inTouched} AND o.type = 'ImplementingOrganization'
                 GROUP BY o.id
                UNION ALL
                SELECT x.io_id, 'SendingOrganizationReported', 'Warn', count(*) || ' MOC report(s) on sending organizations its plans name',
                       jsonb_agg(x.evidence ORDER BY x.position), {noFilter}
                  FROM (SELECT DISTINCT p.io_id, r.position, {Evidence("r")} AS evidence
                          FROM {T(RiskTables.Plans)} p JOIN {T(RiskTables.SenderReports)} r ON r.sending_organization_id = p.sending_organization_id
                         WHERE p.io_id = {inTouched}) x
                 GROUP BY x.io_id
                UNION ALL
                SELECT o.id, 'Disqualified', CASE WHEN bool_or(o.registered_on >= d.from_on) THEN 'High' ELSE 'Warn' END,
                       'Its legal entity ' || o.corporate_number || ' is disqualified until ' || max(d.until_on) || ' (another organization''s revocation)',
                       jsonb_agg({Evidence("d")} ORDER BY d.position), {noFilter}
                  FROM {T(RiskTables.Organizations)} o
                  JOIN {T(RiskTables.Disqualifications)} d ON d.corporate_number = o.corporate_number AND d.source_stream <> o.own_stream
                 WHERE o.id = {inTouched} AND o.active AND o.registered_on < d.until_on
                 GROUP BY o.id, o.corporate_number),
            gone AS (
                DELETE FROM {flags} f
                 WHERE f.organization_id = {inTouched}
                   AND NOT EXISTS (SELECT 1 FROM recomputed r WHERE r.organization_id = f.organization_id AND r.flag = f.flag))
            INSERT INTO {flags} ({columns}) SELECT {columns} FROM recomputed
            ON CONFLICT (organization_id, flag) DO UPDATE
               SET level = excluded.level, detail = excluded.detail, evidence = excluded.evidence,
                   finding_categories = excluded.finding_categories, findings_after = excluded.findings_after
             WHERE ({flags}.level, {flags}.detail, {flags}.evidence, {flags}.finding_categories, {flags}.findings_after)
                   IS DISTINCT FROM (excluded.level, excluded.detail, excluded.evidence, excluded.finding_categories, excluded.findings_after)
            """);
        // The gone and the written flags are disjoint (those missing from recomputed, those in it), so one statement may do both.
        command.Parameters.AddRange(touched.Parameters);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = RiskProjection.TraffickingCategories });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.RepeatViolationYears });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = options.DisappearanceRateWarn });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = options.DisappearanceRateHigh });
        return command;
    }
}
