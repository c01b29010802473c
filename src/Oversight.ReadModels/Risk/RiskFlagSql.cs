using Npgsql;
using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.Risk;

/// <summary>Recomputes the flags of the touched organizations from the projection's state; each flag carries its evidence (the events behind it).</summary>
internal static class RiskFlagSql
{
    /// <summary>One event behind a flag, as the flag lists it (findings store theirs when recorded: see <see cref="RiskTables.Findings"/>).</summary>
    internal static string Evidence(string alias) =>
        $"jsonb_build_object('position', {alias}.position, 'eventId', {alias}.event_id, 'type', {alias}.event_type, 'occurredOn', {alias}.occurred_on)";

    public static IEnumerable<NpgsqlBatchCommand> Recompute(ProjectionTables c, RiskOptions options)
    {
        string T(string table) => c.Table(table);
        // The organizations the batch touched (RiskChanges.CollectTouched). ANY(ARRAY(...)) evaluates the set once, so the
        // planner keeps the index scans it used with an array parameter.
        var inTouched = $"ANY(ARRAY(SELECT id FROM {T(RiskTables.Touched)}))";
        var flags = T(RiskTables.Flags);
        var insert = $"INSERT INTO {flags} (organization_id, flag, level, detail, evidence)";

        yield return Command($"DELETE FROM {flags} WHERE organization_id = {inTouched}");

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

        yield return Command($"""
            {insert}
            SELECT f.organization_id, 'TraffickingIndicator', 'High', count(*) || ' finding(s): ' || string_agg(DISTINCT f.category, ', '),
                   jsonb_agg(f.evidence ORDER BY f.position)
              FROM {T(RiskTables.Findings)} f
             WHERE f.organization_id = {inTouched} AND NOT f.retracted AND f.category = ANY($1)
             GROUP BY f.organization_id
            """, new NpgsqlParameter<string[]> { TypedValue = RiskProjection.TraffickingCategories });

        yield return Command($"""
            {insert}
            SELECT r.organization_id, 'RepeatViolations', CASE WHEN r.inspections >= 3 THEN 'High' ELSE 'Warn' END,
                   'Findings in ' || r.inspections || ' inspections within ' || $1 || ' years', r.evidence
              FROM (SELECT f.organization_id, count(DISTINCT f.inspection_id) AS inspections, jsonb_agg(f.evidence ORDER BY f.position) AS evidence
                      FROM (SELECT f.*, max(f.occurred_on) OVER (PARTITION BY f.organization_id) AS latest
                              FROM {T(RiskTables.Findings)} f WHERE f.organization_id = {inTouched} AND NOT f.retracted) f
                     WHERE f.occurred_on > f.latest - make_interval(years => $1)
                     GROUP BY f.organization_id) r
             WHERE r.inspections >= 2
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

        NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddRange(parameters);
            return command;
        }
    }
}
