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

    public static IEnumerable<NpgsqlBatchCommand> Recompute(ProjectionTables c, RiskOptions options)
    {
        string T(string table) => c.Table(table);
        // The organizations the batch touched (RiskChanges.CollectTouched). ANY(ARRAY(...)) evaluates the set once, so the
        // planner keeps the index scans it used with an array parameter (the work table, never analyzed while it holds rows,
        // would be planned as thousands of rows: hash joins over whole tables, and JIT).
        var inTouched = $"ANY(ARRAY(SELECT id FROM {T(RiskTables.Touched)}))";
        var flags = T(RiskTables.Flags);
        var recomputed = T(RiskTables.Recomputed);
        var insert = $"INSERT INTO {recomputed} (organization_id, flag, level, detail, evidence)";

        yield return Command($"""
            {insert}
            SELECT o.organization_id, 'InspectionOverdue', 'Warn', 'No inspection since the due date ' || o.due_on, jsonb_build_array({Evidence("o")})
              FROM {T(RiskTables.InspectionOverdue)} o JOIN {T(RiskTables.Organizations)} g ON g.id = o.organization_id
             WHERE o.organization_id = {inTouched} AND g.active
            """);

        yield return Command($"""
            {insert}
            SELECT r.organization_id, 'CorrectionOverdue', 'High', count(*) || ' correction order(s) past their due date without verified correction',
                   jsonb_agg(jsonb_build_object('position', r.overdue_position, 'eventId', r.overdue_event_id, 'type', 'CorrectionOrderOverdue', 'occurredOn', r.overdue_on)
                             ORDER BY r.overdue_position)
              FROM {T(RiskTables.Orders)} r
             WHERE r.organization_id = {inTouched} AND r.overdue_position IS NOT NULL AND NOT r.closed
             GROUP BY r.organization_id
            """);

        // The two flags raised by findings name their evidence by a filter over the organization's findings, read when the flag is
        // read (RiskQueries): rewriting every finding's entry into the flag with each batch cost most of the projection (ADR 12).
        // Both probe indexes: the trafficking categories of each organization; its latest finding, then each of its inspections
        // for one finding within the years before it (not every finding of the organization).
        var fromFindings = $"INSERT INTO {recomputed} (organization_id, flag, level, detail, finding_categories, findings_after)";
        yield return Command($"""
            {fromFindings}
            SELECT f.organization_id, 'TraffickingIndicator', 'High', count(*) || ' finding(s): ' || string_agg(DISTINCT f.category, ', '), $1, NULL
              FROM {T(RiskTables.Findings)} f
             WHERE f.organization_id = {inTouched} AND NOT f.retracted AND f.category = ANY($1)
             GROUP BY f.organization_id
            """, new NpgsqlParameter<string[]> { TypedValue = RiskProjection.TraffickingCategories });

        yield return Command($"""
            {fromFindings}
            WITH o AS MATERIALIZED (
                 SELECT t.id, ((SELECT max(f.occurred_on) FROM {T(RiskTables.Findings)} f WHERE f.organization_id = t.id AND NOT f.retracted)
                               - make_interval(years => $1))::date AS after
                   FROM unnest(ARRAY(SELECT id FROM {T(RiskTables.Touched)})) AS t(id))
            SELECT o.id, 'RepeatViolations', CASE WHEN count(*) >= 3 THEN 'High' ELSE 'Warn' END,
                   'Findings in ' || count(*) || ' inspections within ' || $1 || ' years', NULL, o.after
              FROM o JOIN {T(RiskTables.Inspections)} i ON i.organization_id = o.id
             WHERE EXISTS (SELECT 1 FROM {T(RiskTables.Findings)} f WHERE f.inspection_id = i.inspection_id AND NOT f.retracted AND f.occurred_on > o.after)
             GROUP BY o.id, o.after
            HAVING count(*) >= 2
            """, new NpgsqlParameter<int> { TypedValue = options.RepeatViolationYears });

        yield return Command($"""
            {insert}
            SELECT d.io_id, 'Disappearances', CASE WHEN d.missing >= $2 * greatest(p.trainees, 1) THEN 'High' ELSE 'Warn' END,
                   d.missing || ' of ' || p.trainees || ' trainees reported missing', d.evidence
              FROM (SELECT d.io_id, sum(d.count) AS missing, jsonb_agg({Evidence("d")} ORDER BY d.position) AS evidence
                      FROM {T(RiskTables.Disappearances)} d WHERE d.io_id = {inTouched} GROUP BY d.io_id) d
              JOIN (SELECT io_id, sum(trainees) AS trainees FROM {T(RiskTables.Plans)} WHERE io_id = {inTouched} GROUP BY io_id) p ON p.io_id = d.io_id
             WHERE d.missing >= $1 * greatest(p.trainees, 1)
            """, new NpgsqlParameter<double> { TypedValue = options.DisappearanceRateWarn }, new NpgsqlParameter<double> { TypedValue = options.DisappearanceRateHigh });

        yield return Command($"""
            {insert}
            SELECT o.id, 'SupervisorSanctioned', CASE WHEN bool_or(s.event_type = 'PermitRevoked') THEN 'High' ELSE 'Warn' END,
                   'Its supervising organization was ' || string_agg(DISTINCT CASE s.event_type WHEN 'PermitRevoked' THEN 'revoked' ELSE 'suspended' END, ' and '),
                   jsonb_agg({Evidence("s")} ORDER BY s.position)
              FROM {T(RiskTables.Organizations)} o JOIN {T(RiskTables.Sanctions)} s ON s.so_id = o.supervising_organization_id
             WHERE o.id = {inTouched} AND o.type = 'ImplementingOrganization'
             GROUP BY o.id
            """);

        yield return Command($"""
            {insert}
            SELECT x.io_id, 'SendingOrganizationReported', 'Warn', count(*) || ' MOC report(s) on sending organizations its plans name',
                   jsonb_agg(x.evidence ORDER BY x.position)
              FROM (SELECT DISTINCT p.io_id, r.position, {Evidence("r")} AS evidence
                      FROM {T(RiskTables.Plans)} p JOIN {T(RiskTables.SenderReports)} r ON r.sending_organization_id = p.sending_organization_id
                     WHERE p.io_id = {inTouched}) x
             GROUP BY x.io_id
            """);

        yield return Command($"""
            {insert}
            SELECT o.id, 'Disqualified', CASE WHEN bool_or(o.registered_on >= d.from_on) THEN 'High' ELSE 'Warn' END,
                   'Its legal entity ' || o.corporate_number || ' is disqualified until ' || max(d.until_on) || ' (another organization''s revocation)',
                   jsonb_agg({Evidence("d")} ORDER BY d.position)
              FROM {T(RiskTables.Organizations)} o
              JOIN {T(RiskTables.Disqualifications)} d ON d.corporate_number = o.corporate_number AND d.source_stream <> o.own_stream
             WHERE o.id = {inTouched} AND o.active AND o.registered_on < d.until_on
             GROUP BY o.id, o.corporate_number
            """);

        // Only what changed is written: most batches leave every conclusion as it was, and rewriting the touched organizations'
        // flags each time filled the table and its indexes with dead rows.
        yield return Command($"""
            DELETE FROM {flags} f
             WHERE f.organization_id = {inTouched}
               AND NOT EXISTS (SELECT 1 FROM {recomputed} r WHERE r.organization_id = f.organization_id AND r.flag = f.flag)
            """);
        yield return Command($"""
            INSERT INTO {flags} SELECT * FROM {recomputed}
            ON CONFLICT (organization_id, flag) DO UPDATE
               SET level = excluded.level, detail = excluded.detail, evidence = excluded.evidence,
                   finding_categories = excluded.finding_categories, findings_after = excluded.findings_after
             WHERE ({flags}.level, {flags}.detail, {flags}.evidence, {flags}.finding_categories, {flags}.findings_after)
                   IS DISTINCT FROM (excluded.level, excluded.detail, excluded.evidence, excluded.finding_categories, excluded.findings_after)
            """);
        yield return Command($"DELETE FROM {recomputed}");

        NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddRange(parameters);
            return command;
        }
    }
}
