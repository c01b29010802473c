using Npgsql;
using NpgsqlTypes;
using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Inspections;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;
using Oversight.ReadModels.Storage;
using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.Risk;

/// <summary>
/// One batch's state changes, in event order, and what they touch (organizations, directly or through related subjects).
/// The inserts a catch-up is made of (registrations, plans, inspections, findings, orders, completions) are buffered and
/// written as one <c>unnest</c> statement per kind; any other statement first flushes the buffers, so every statement still
/// sees the rows of the events before it (the buffered kinds do not depend on one another, except findings on inspections,
/// flushed first).
/// </summary>
internal sealed class RiskChanges(ProjectionTables context)
{
    private readonly List<(Guid Id, string Type, string Name, string? Prefecture, string CorporateNumber, string Stream, Guid? Supervisor, DateOnly RegisteredOn)> _newOrganizations = [];
    private readonly List<(Guid Inspection, Guid Organization)> _newInspections = [];
    private readonly List<(Guid Order, Guid Organization)> _newOrders = [];
    private readonly List<(Guid Organization, string Number, int Trainees, Guid? Sender)> _newPlans = [];
    private readonly List<(Guid Finding, Guid Inspection, string Category, long Position, Guid EventId, string EventType, DateOnly ObservedOn)> _newFindings = [];
    private readonly List<Guid> _completedInspections = [];

    private readonly HashSet<Guid> _organizations = [];
    private readonly HashSet<Guid> _inspections = [];
    private readonly HashSet<Guid> _orders = [];
    private readonly HashSet<Guid> _supervisors = [];
    private readonly HashSet<Guid> _senders = [];
    private readonly HashSet<string> _entities = [];

    public List<NpgsqlBatchCommand> Commands { get; } = [];

    public bool IsEmpty => Commands.Count == 0 && _newOrganizations.Count + _newInspections.Count + _newOrders.Count + _newPlans.Count
        + _newFindings.Count + _completedInspections.Count == 0;

    public void Add(ProjectedEvent e)
    {
        switch (e.Data)
        {
            case SupervisingOrganizationRegistered r:
                Organization(r.OrganizationId, "SupervisingOrganization", r.Name, r.Prefecture, r.CorporateNumber, e.StreamId, null, r.PermitFrom);
                break;
            case ImplementingOrganizationRegistered r:
                Organization(r.OrganizationId, "ImplementingOrganization", r.Name, r.Prefecture, r.CorporateNumber, e.StreamId, r.SupervisingOrganizationId,
                    e.OccurredOn ?? DateOnly.FromDateTime(e.RecordedAt.UtcDateTime));
                break;
            case SupervisingOrganizationChanged c:
                Run($"UPDATE {T(RiskTables.Organizations)} SET supervising_organization_id = $2 WHERE id = $1", Id(Subject(e)), Id(c.To));
                _organizations.Add(Subject(e)); // its SupervisorSanctioned flag now follows the new supervising organization
                break;
            case PermitRevoked:
                Ended(e);
                Sanction(e);
                break;
            case BusinessSuspended or AcceptanceSuspended:
                Sanction(e);
                break;
            case BusinessAbolished or PermitLapsed:
                Ended(e);
                break;
            case PlanAccreditationRevoked r:
                // Named plans or all of them; the organization ends when no accredited plan remains (as the domain decides).
                Run($"UPDATE {T(RiskTables.Plans)} SET revoked = true WHERE io_id = $1 AND ($2 OR plan_number = ANY($3))",
                    Id(Subject(e)), new NpgsqlParameter<bool> { TypedValue = r.All }, new NpgsqlParameter<string[]> { TypedValue = [.. r.PlanNumbers] });
                Run($"""
                    UPDATE {T(RiskTables.Organizations)} o SET active = false
                     WHERE o.id = $1 AND ($2 OR NOT EXISTS (SELECT 1 FROM {T(RiskTables.Plans)} p WHERE p.io_id = o.id AND NOT p.revoked))
                    """, Id(Subject(e)), new NpgsqlParameter<bool> { TypedValue = r.All });
                _organizations.Add(Subject(e));
                break;
            case EntityDisqualified d:
                Run($"""
                    INSERT INTO {T(RiskTables.Disqualifications)} (corporate_number, from_on, until_on, source_stream, position, event_id, event_type, occurred_on)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING
                    """, Text(d.CorporateNumber), Date(d.From), Date(d.Until), Text(d.SourceStreamId), Position(e), Id(e.EventId), Text(e.EventType), Date(e.OccurredOn));
                _entities.Add(d.CorporateNumber);
                break;
            case InspectionScheduled s:
                _newInspections.Add((s.InspectionId, s.OrganizationId));
                break;
            case InspectionCompleted:
                _completedInspections.Add(Subject(e));
                _inspections.Add(Subject(e));
                break;
            case FindingRecorded f:
                _newFindings.Add((f.FindingId, Subject(e), f.Category.ToString(), e.Sequence, e.EventId, e.EventType, f.ObservedOn));
                _inspections.Add(Subject(e));
                break;
            case FindingRetracted r:
                Run($"UPDATE {T(RiskTables.Findings)} SET retracted = true WHERE finding_id = $1", Id(r.FindingId));
                _inspections.Add(Subject(e));
                break;
            case InspectionOverdue o:
                Run($"""
                    INSERT INTO {T(RiskTables.InspectionOverdue)} (organization_id, due_on, position, event_id, event_type, occurred_on) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (organization_id) DO UPDATE SET due_on = excluded.due_on, position = excluded.position, event_id = excluded.event_id,
                        occurred_on = excluded.occurred_on
                    """, Id(Subject(e)), Date(o.DueOn), Position(e), Id(e.EventId), Text(e.EventType), Date(e.OccurredOn));
                _organizations.Add(Subject(e));
                break;
            case CorrectionOrderIssued o:
                _newOrders.Add((o.OrderId, o.OrganizationId));
                break;
            case CorrectionOrderOverdue o:
                Run($"UPDATE {T(RiskTables.Orders)} SET overdue_position = $2, overdue_event_id = $3, overdue_on = $4 WHERE order_id = $1",
                    Id(Subject(e)), Position(e), Id(e.EventId), Date(e.OccurredOn ?? o.DetectedOn));
                _orders.Add(Subject(e));
                break;
            case CorrectionVerified or CorrectionOrderEscalated:
                // Verified: corrected. Escalated: the risk now rests on the stronger measure, not on this order.
                Run($"UPDATE {T(RiskTables.Orders)} SET closed = true WHERE order_id = $1", Id(Subject(e)));
                _orders.Add(Subject(e));
                break;
            case TrainingPlanAccredited p:
                _newPlans.Add((Subject(e), p.PlanNumber, p.Trainees, p.SendingOrganizationId));
                _organizations.Add(Subject(e));
                break;
            case TraineeDisappearanceReported d:
                Run($"""
                    INSERT INTO {T(RiskTables.Disappearances)} (io_id, count, position, event_id, event_type, occurred_on) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT DO NOTHING
                    """, Id(Subject(e)), new NpgsqlParameter<int> { TypedValue = d.Count }, Position(e), Id(e.EventId), Text(e.EventType), Date(d.ReportedOn));
                _organizations.Add(Subject(e));
                break;
            case SendingOrganizationReportedUnderMoc r:
                Run($"""
                    INSERT INTO {T(RiskTables.SenderReports)} (sending_organization_id, position, event_id, event_type, occurred_on) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT DO NOTHING
                    """, Id(Subject(e)), Position(e), Id(e.EventId), Text(e.EventType), Date(r.ReportedOn));
                _senders.Add(Subject(e));
                break;
        }
    }

    /// <summary>
    /// A query (over <c>$1</c>–<c>$6</c>) for every organization whose flags may have changed, expanded through the related
    /// subjects; it runs after the state changes, in the recompute's statement (<see cref="RiskFlagSql.Recompute"/>).
    /// </summary>
    public (string Sql, NpgsqlParameter[] Parameters) Touched() => (
        $"""
        SELECT DISTINCT id FROM (
            SELECT unnest($1::uuid[]) AS id
            UNION ALL SELECT organization_id FROM {T(RiskTables.Inspections)} WHERE inspection_id = ANY($2)
            UNION ALL SELECT organization_id FROM {T(RiskTables.Orders)} WHERE order_id = ANY($3)
            UNION ALL SELECT id FROM {T(RiskTables.Organizations)} WHERE supervising_organization_id = ANY($4)
            UNION ALL SELECT io_id FROM {T(RiskTables.Plans)} WHERE sending_organization_id = ANY($5)
            UNION ALL SELECT id FROM {T(RiskTables.Organizations)} WHERE corporate_number = ANY($6)) t
        """,
        [
            new NpgsqlParameter<Guid[]> { TypedValue = [.. _organizations] },
            new NpgsqlParameter<Guid[]> { TypedValue = [.. _inspections] },
            new NpgsqlParameter<Guid[]> { TypedValue = [.. _orders] },
            new NpgsqlParameter<Guid[]> { TypedValue = [.. _supervisors] },
            new NpgsqlParameter<Guid[]> { TypedValue = [.. _senders] },
            new NpgsqlParameter<string[]> { TypedValue = [.. _entities] },
        ]);

    private void Organization(Guid id, string type, string name, string? prefecture, string corporateNumber, string stream, Guid? supervisor, DateOnly registeredOn)
    {
        _newOrganizations.Add((id, type, name, prefecture, corporateNumber, stream, supervisor, registeredOn));
        _organizations.Add(id);
    }

    /// <summary>Writes the buffered inserts (findings after the inspections they read), then the completions (which read both).</summary>
    public void Flush()
    {
        if (_newOrganizations.Count > 0)
            Add($"""
                INSERT INTO {T(RiskTables.Organizations)} (id, type, name, prefecture, corporate_number, own_stream, supervising_organization_id, registered_on, active)
                SELECT *, true FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::date[]) ON CONFLICT DO NOTHING
                """, Array(_newOrganizations.Select(o => o.Id)), Array(_newOrganizations.Select(o => o.Type)), Array(_newOrganizations.Select(o => o.Name)),
                Array(_newOrganizations.Select(o => o.Prefecture)), Array(_newOrganizations.Select(o => o.CorporateNumber)), Array(_newOrganizations.Select(o => o.Stream)),
                Array(_newOrganizations.Select(o => o.Supervisor)), Array(_newOrganizations.Select(o => o.RegisteredOn)));
        if (_newInspections.Count > 0)
            Add($"INSERT INTO {T(RiskTables.Inspections)} (inspection_id, organization_id) SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING",
                Array(_newInspections.Select(i => i.Inspection)), Array(_newInspections.Select(i => i.Organization)));
        if (_newOrders.Count > 0)
            Add($"INSERT INTO {T(RiskTables.Orders)} (order_id, organization_id) SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING",
                Array(_newOrders.Select(o => o.Order)), Array(_newOrders.Select(o => o.Organization)));
        if (_newPlans.Count > 0)
            Add($"""
                INSERT INTO {T(RiskTables.Plans)} (io_id, plan_number, trainees, sending_organization_id)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::uuid[]) ON CONFLICT DO NOTHING
                """, Array(_newPlans.Select(p => p.Organization)), Array(_newPlans.Select(p => p.Number)), Array(_newPlans.Select(p => p.Trainees)),
                Array(_newPlans.Select(p => p.Sender)));
        if (_newFindings.Count > 0)
            Add($"""
                INSERT INTO {T(RiskTables.Findings)} (finding_id, inspection_id, organization_id, category, position, event_id, event_type, occurred_on, evidence)
                SELECT u.finding_id, i.inspection_id, i.organization_id, u.category, u.position, u.event_id, u.event_type, u.occurred_on, {RiskFlagSql.Evidence("u")}
                  FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::uuid[], $6::text[], $7::date[])
                       AS u(finding_id, inspection_id, category, position, event_id, event_type, occurred_on)
                  JOIN {T(RiskTables.Inspections)} i ON i.inspection_id = u.inspection_id
                ON CONFLICT DO NOTHING
                """, Array(_newFindings.Select(f => f.Finding)), Array(_newFindings.Select(f => f.Inspection)), Array(_newFindings.Select(f => f.Category)),
                Array(_newFindings.Select(f => f.Position)), Array(_newFindings.Select(f => f.EventId)), Array(_newFindings.Select(f => f.EventType)),
                Array(_newFindings.Select(f => f.ObservedOn)));
        if (_completedInspections.Count > 0)
            Add($"""
                DELETE FROM {T(RiskTables.InspectionOverdue)} o USING {T(RiskTables.Inspections)} i
                 WHERE i.inspection_id = ANY($1) AND o.organization_id = i.organization_id
                """, Array(_completedInspections));
        _newOrganizations.Clear();
        _newInspections.Clear();
        _newOrders.Clear();
        _newPlans.Clear();
        _newFindings.Clear();
        _completedInspections.Clear();
    }

    private void Ended(ProjectedEvent e)
    {
        Run($"UPDATE {T(RiskTables.Organizations)} SET active = false WHERE id = $1", Id(Subject(e)));
        _organizations.Add(Subject(e));
    }

    private void Sanction(ProjectedEvent e)
    {
        Run($"""
            INSERT INTO {T(RiskTables.Sanctions)} (so_id, position, event_id, event_type, occurred_on) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
            """, Id(Subject(e)), Position(e), Id(e.EventId), Text(e.EventType), Date(e.OccurredOn));
        _supervisors.Add(Subject(e));
    }

    /// <summary>A statement in event order: the buffered inserts of the events before it go first.</summary>
    private void Run(string sql, params NpgsqlParameter[] parameters)
    {
        Flush();
        Add(sql, parameters);
    }

    private void Add(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        Commands.Add(command);
    }

    private string T(string table) => context.Table(table);
    private static Guid Subject(ProjectedEvent e) => StreamIds.IdOf(e.StreamId);
    private static NpgsqlParameter Id(Guid id) => new NpgsqlParameter<Guid> { TypedValue = id };
    private static NpgsqlParameter OptionalId(Guid? id) => new() { Value = (object?)id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid };
    private static NpgsqlParameter Text(string? text) => new() { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
    private static NpgsqlParameter Date(DateOnly? date) => new() { Value = (object?)date ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date };
    private static NpgsqlParameter Position(ProjectedEvent e) => new NpgsqlParameter<long> { TypedValue = e.Sequence };
    private static NpgsqlParameter Array<T>(IEnumerable<T> values) => new NpgsqlParameter<T[]> { TypedValue = [.. values] };
}
