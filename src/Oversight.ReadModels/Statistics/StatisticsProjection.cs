using Npgsql;
using Oversight.Domain.Common;
using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Moc;
using Oversight.Domain.Inspections;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;
using Oversight.ReadModels.Storage;
using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.Statistics;

/// <summary>
/// Fact tables for analysts, one row per organization, revocation act, inspection and MOC report, with the
/// dimensions statistics group by (fiscal year of the business date, organization type, prefecture,
/// industry, legal basis, country, response). No names of people and no narratives are kept here.
/// A batch is folded in memory and written with one set-based statement per table, so a rebuild over
/// millions of events costs a few statements per thousands of events.
/// </summary>
public sealed class StatisticsProjection : ISqlProjection
{
    public const string ProjectionName = "statistics";
    internal const string Organizations = "stat_organizations";
    internal const string Revocations = "stat_revocations";
    internal const string Inspections = "stat_inspections";
    internal const string MocReports = "stat_moc_reports";
    internal const string SendingOrganizations = "stat_sending_organizations";
    internal const string Plans = "stat_plans";
    internal const string MocAgreements = "stat_moc_agreements";
    internal const string Orders = "stat_correction_orders";

    public string Name => ProjectionName;

    /// <summary>
    /// Bump (here) when the rows it writes change: see <see cref="ISqlProjection.Version"/>. 2: plans with their type, trainees,
    /// country and accreditation date; correction orders with the kind of inspection they follow. 3: an order learns that kind
    /// also when its inspection comes later in the log (rows independent of where batches end).
    /// </summary>
    public uint Version { get; init; } = 3;
    public IReadOnlyList<string> Tables { get; } = [Organizations, Revocations, Inspections, MocReports, SendingOrganizations, Plans, MocAgreements, Orders];

    public IReadOnlyList<Type> EventTypes { get; } =
    [
        typeof(SupervisingOrganizationRegistered), typeof(PermitCategoryChanged), typeof(PermitRevoked), typeof(BusinessAbolished), typeof(PermitLapsed),
        typeof(ImplementingOrganizationRegistered), typeof(TrainingPlanAccredited), typeof(SupervisingOrganizationChanged), typeof(PlanAccreditationRevoked),
        typeof(InspectionScheduled), typeof(InspectionCompleted), typeof(InspectionCancelled), typeof(FindingRecorded), typeof(FindingRetracted),
        typeof(SendingOrganizationRegistered), typeof(SendingOrganizationReportedUnderMoc), typeof(SendingCountryResponded), typeof(CorrectionOrderIssued),
        typeof(MocSigned), typeof(MocEnded),
    ];

    // Indexes are created with their table (unnamed, so a rebuild's copies get names of their own).
    public string CreateTablesSql(ProjectionTables context) =>
            $"""
            CREATE TABLE IF NOT EXISTS {context.Table(Organizations)} (
                id uuid PRIMARY KEY, type text NOT NULL, prefecture text, industry text, category text,
                supervising_organization_id uuid, registered_on date NOT NULL, ended_on date);
            CREATE TABLE IF NOT EXISTS {context.Table(Revocations)} (
                position bigint PRIMARY KEY, organization_id uuid NOT NULL, organization_type text NOT NULL, prefecture text, industry text,
                legal_basis text NOT NULL, effective_on date NOT NULL, fiscal_year integer NOT NULL, plans integer NOT NULL);
            DO $create$ BEGIN
                IF to_regclass('{Unquoted(context.Table(Inspections))}') IS NULL THEN
                    CREATE TABLE {context.Table(Inspections)} (
                        inspection_id uuid PRIMARY KEY, organization_id uuid NOT NULL, organization_type text NOT NULL, kind text NOT NULL,
                        scheduled_on date NOT NULL, completed_on date, cancelled boolean NOT NULL DEFAULT false, findings integer NOT NULL DEFAULT 0);
                    CREATE INDEX ON {context.Table(Inspections)} (completed_on) INCLUDE (organization_id, organization_type, kind);
                    CREATE INDEX ON {context.Table(Inspections)} (organization_id, completed_on);
                END IF;
            END $create$;
            CREATE TABLE IF NOT EXISTS {context.Table(MocReports)} (
                report_id uuid PRIMARY KEY, sending_organization_id uuid NOT NULL, country text NOT NULL, reported_on date NOT NULL,
                fiscal_year integer NOT NULL, response text NOT NULL);
            CREATE TABLE IF NOT EXISTS {context.Table(SendingOrganizations)} (id uuid PRIMARY KEY, country text NOT NULL);
            CREATE TABLE IF NOT EXISTS {context.Table(Plans)} (
                io_id uuid NOT NULL, plan_number text NOT NULL, revoked boolean NOT NULL DEFAULT false, type text NOT NULL, trainees integer NOT NULL,
                country text NOT NULL, accredited_on date NOT NULL, PRIMARY KEY (io_id, plan_number));
            CREATE TABLE IF NOT EXISTS {context.Table(Orders)} (
                order_id uuid PRIMARY KEY, organization_type text NOT NULL, issuer text NOT NULL, kind text NOT NULL, issued_on date NOT NULL,
                inspection_kind text, inspection_id uuid);
            CREATE TABLE IF NOT EXISTS {context.Table(MocAgreements)} (
                moc_id uuid PRIMARY KEY, country text NOT NULL, in_force_from date NOT NULL, ended_on date);
            """;

    public void Apply(IReadOnlyList<ProjectedEvent> events, ProjectionTables context, ICollection<NpgsqlBatchCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(commands);
        var changes = new StatisticsChanges();
        foreach (var e in events) changes.Add(e);
        if (changes.IsEmpty) return;
        foreach (var command in changes.Commands(context)) commands.Add(command);
    }

    private static string Unquoted(string qualified) => qualified.Replace("\"", "", StringComparison.Ordinal);
}

/// <summary>One batch's effect on the fact tables, folded in event order and written set-based.</summary>
internal sealed class StatisticsChanges
{
    private readonly List<(Guid Id, string Type, string? Prefecture, string? Industry, string? Category, Guid? Supervisor, DateOnly RegisteredOn)> _organizations = [];
    private readonly Dictionary<Guid, DateOnly> _ended = [];
    private readonly Dictionary<Guid, string> _categories = [];
    private readonly Dictionary<Guid, Guid> _supervisors = [];
    private readonly List<(long Position, Guid Organization, string Type, string LegalBasis, DateOnly EffectiveOn, int Plans)> _revocations = [];
    private readonly List<(Guid Id, Guid Organization, string Type, string Kind, DateOnly ScheduledOn)> _inspections = [];
    private readonly Dictionary<Guid, DateOnly> _completed = [];
    private readonly HashSet<Guid> _cancelled = [];
    private readonly Dictionary<Guid, int> _findings = [];
    private readonly List<(Guid Id, Guid Sender, DateOnly ReportedOn)> _reports = [];
    private readonly Dictionary<Guid, string> _responses = [];
    private readonly List<(Guid Id, string Country)> _senders = [];
    private readonly List<(Guid Organization, string Number, string Type, int Trainees, string Country, DateOnly AccreditedOn)> _plans = [];
    private readonly List<(Guid Id, string OrganizationType, string Issuer, string Kind, DateOnly IssuedOn, Guid? Inspection)> _orders = [];
    private readonly List<(Guid Organization, string Number)> _revokedPlans = [];
    // Revocations of named plans: the organization ends with the one that leaves no plan accredited (as the domain's FullyRevoked).
    private readonly Dictionary<Guid, DateOnly> _partlyRevoked = [];
    private readonly List<(Guid Id, string Country, DateOnly InForceFrom)> _mocs = [];
    private readonly List<(string Country, DateOnly EndedOn)> _mocEnds = [];

    public bool IsEmpty => _organizations.Count + _ended.Count + _categories.Count + _supervisors.Count + _revocations.Count + _inspections.Count
        + _completed.Count + _cancelled.Count + _findings.Count + _reports.Count + _responses.Count + _senders.Count + _plans.Count + _revokedPlans.Count + _mocs.Count + _mocEnds.Count + _orders.Count == 0;

    public void Add(ProjectedEvent e)
    {
        switch (e.Data)
        {
            case SupervisingOrganizationRegistered r:
                _organizations.Add((r.OrganizationId, nameof(OrganizationType.SupervisingOrganization), r.Prefecture, null, r.Category.ToString(), null, r.PermitFrom));
                break;
            case PermitCategoryChanged c:
                _categories[StreamIds.IdOf(e.StreamId)] = c.To.ToString();
                break;
            case PermitRevoked r:
                _ended[StreamIds.IdOf(e.StreamId)] = r.EffectiveOn;
                _revocations.Add((e.Sequence, StreamIds.IdOf(e.StreamId), nameof(OrganizationType.SupervisingOrganization), r.LegalBasis, r.EffectiveOn, 0));
                break;
            case BusinessAbolished a:
                _ended[StreamIds.IdOf(e.StreamId)] = a.EffectiveOn;
                break;
            case PermitLapsed l:
                _ended[StreamIds.IdOf(e.StreamId)] = l.LapsedOn;
                break;
            case ImplementingOrganizationRegistered r:
                _organizations.Add((r.OrganizationId, nameof(OrganizationType.ImplementingOrganization), r.Prefecture, r.Industry, null,
                    r.SupervisingOrganizationId, e.OccurredOn ?? DateOnly.FromDateTime(e.RecordedAt.UtcDateTime)));
                break;
            case TrainingPlanAccredited p:
                // Plans recorded before the accreditation date was kept carry their start in the metadata only: the start bounds it.
                _plans.Add((StreamIds.IdOf(e.StreamId), p.PlanNumber, p.Type.ToString(), p.Trainees, p.SendingCountry, p.AccreditedOn ?? e.OccurredOn ?? p.From));
                break;
            case SupervisingOrganizationChanged c:
                _supervisors[StreamIds.IdOf(e.StreamId)] = c.To;
                break;
            case PlanAccreditationRevoked r:
                if (r.All) _ended[StreamIds.IdOf(e.StreamId)] = r.EffectiveOn;
                else _partlyRevoked[StreamIds.IdOf(e.StreamId)] = r.EffectiveOn;
                _revokedPlans.AddRange(r.PlanNumbers.Select(n => (StreamIds.IdOf(e.StreamId), n)));
                _revocations.Add((e.Sequence, StreamIds.IdOf(e.StreamId), nameof(OrganizationType.ImplementingOrganization), r.LegalBasis, r.EffectiveOn, r.PlanNumbers.Count));
                break;
            case InspectionScheduled s:
                _inspections.Add((s.InspectionId, s.OrganizationId, s.OrganizationType.ToString(), s.Kind.ToString(), s.ScheduledOn));
                break;
            case InspectionCompleted c:
                _completed[StreamIds.IdOf(e.StreamId)] = c.CompletedOn;
                break;
            case InspectionCancelled:
                _cancelled.Add(StreamIds.IdOf(e.StreamId));
                break;
            case FindingRecorded:
                _findings[StreamIds.IdOf(e.StreamId)] = _findings.GetValueOrDefault(StreamIds.IdOf(e.StreamId)) + 1;
                break;
            case FindingRetracted:
                _findings[StreamIds.IdOf(e.StreamId)] = _findings.GetValueOrDefault(StreamIds.IdOf(e.StreamId)) - 1;
                break;
            case SendingOrganizationRegistered r:
                _senders.Add((r.SendingOrganizationId, r.Country));
                break;
            case SendingOrganizationReportedUnderMoc r:
                _reports.Add((r.ReportId, StreamIds.IdOf(e.StreamId), r.ReportedOn));
                break;
            case SendingCountryResponded r:
                _responses[r.ReportId] = r.Response.ToString();
                break;
            case MocSigned m:
                _mocs.Add((m.MocId, m.Country, m.InForceFrom));
                break;
            case MocEnded m:
                _mocEnds.Add((e.StreamId["moc-".Length..], m.EndedOn));
                break;
            case CorrectionOrderIssued o:
                _orders.Add((o.OrderId, o.OrganizationType.ToString(), o.Issuer.ToString(), o.Kind.ToString(), o.IssuedOn, o.InspectionId));
                break;
            default:
                break;
        }
    }

    public IEnumerable<NpgsqlBatchCommand> Commands(ProjectionTables context)
    {
        var organizations = context.Table(StatisticsProjection.Organizations);
        if (_organizations.Count > 0)
            yield return Command($"""
                INSERT INTO {organizations} (id, type, prefecture, industry, category, supervising_organization_id, registered_on)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::date[]) ON CONFLICT (id) DO NOTHING
                """,
                Array(_organizations.Select(o => o.Id)), Array(_organizations.Select(o => o.Type)), Array(_organizations.Select(o => o.Prefecture)),
                Array(_organizations.Select(o => o.Industry)), Array(_organizations.Select(o => o.Category)), Array(_organizations.Select(o => o.Supervisor)),
                Array(_organizations.Select(o => o.RegisteredOn)));
        if (_ended.Count > 0)
            yield return Command($"UPDATE {organizations} o SET ended_on = u.d FROM unnest($1::uuid[], $2::date[]) AS u(id, d) WHERE o.id = u.id",
                Array(_ended.Keys), Array(_ended.Values));
        var plans = context.Table(StatisticsProjection.Plans);
        if (_plans.Count > 0)
            yield return Command($"""
                INSERT INTO {plans} (io_id, plan_number, type, trainees, country, accredited_on)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::date[]) ON CONFLICT DO NOTHING
                """,
                Array(_plans.Select(p => p.Organization)), Array(_plans.Select(p => p.Number)), Array(_plans.Select(p => p.Type)),
                Array(_plans.Select(p => p.Trainees)), Array(_plans.Select(p => p.Country)), Array(_plans.Select(p => p.AccreditedOn)));
        if (_revokedPlans.Count > 0)
            yield return Command($"UPDATE {plans} p SET revoked = true FROM unnest($1::uuid[], $2::text[]) AS u(id, n) WHERE p.io_id = u.id AND p.plan_number = u.n",
                Array(_revokedPlans.Select(p => p.Organization)), Array(_revokedPlans.Select(p => p.Number)));
        if (_partlyRevoked.Count > 0)
            yield return Command($"""
                UPDATE {organizations} o SET ended_on = u.d FROM unnest($1::uuid[], $2::date[]) AS u(id, d)
                 WHERE o.id = u.id AND o.ended_on IS NULL AND NOT EXISTS (SELECT 1 FROM {plans} p WHERE p.io_id = o.id AND NOT p.revoked)
                """, Array(_partlyRevoked.Keys), Array(_partlyRevoked.Values));
        if (_categories.Count > 0)
            yield return Command($"UPDATE {organizations} o SET category = u.c FROM unnest($1::uuid[], $2::text[]) AS u(id, c) WHERE o.id = u.id",
                Array(_categories.Keys), Array(_categories.Values));
        if (_supervisors.Count > 0)
            yield return Command($"UPDATE {organizations} o SET supervising_organization_id = u.s FROM unnest($1::uuid[], $2::uuid[]) AS u(id, s) WHERE o.id = u.id",
                Array(_supervisors.Keys), Array(_supervisors.Values));
        if (_revocations.Count > 0)
            yield return Command($"""
                INSERT INTO {context.Table(StatisticsProjection.Revocations)}
                       (position, organization_id, organization_type, prefecture, industry, legal_basis, effective_on, fiscal_year, plans)
                SELECT u.position, u.organization_id, u.type, o.prefecture, o.industry, u.legal_basis, u.effective_on, u.fiscal_year, u.plans
                  FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::int[], $7::int[])
                       AS u(position, organization_id, type, legal_basis, effective_on, fiscal_year, plans)
                  LEFT JOIN {organizations} o ON o.id = u.organization_id
                ON CONFLICT (position) DO NOTHING
                """,
                Array(_revocations.Select(r => r.Position)), Array(_revocations.Select(r => r.Organization)), Array(_revocations.Select(r => r.Type)),
                Array(_revocations.Select(r => r.LegalBasis)), Array(_revocations.Select(r => r.EffectiveOn)),
                Array(_revocations.Select(r => FiscalYear.Of(r.EffectiveOn))), Array(_revocations.Select(r => r.Plans)));
        var inspections = context.Table(StatisticsProjection.Inspections);
        if (_inspections.Count > 0)
            yield return Command($"""
                INSERT INTO {inspections} (inspection_id, organization_id, organization_type, kind, scheduled_on)
                SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[]) ON CONFLICT (inspection_id) DO NOTHING
                """,
                Array(_inspections.Select(i => i.Id)), Array(_inspections.Select(i => i.Organization)), Array(_inspections.Select(i => i.Type)),
                Array(_inspections.Select(i => i.Kind)), Array(_inspections.Select(i => i.ScheduledOn)));
        // An order can precede its inspection in the log (a bulk load writes streams side by side): it learns the kind when the
        // inspection arrives, so the row does not depend on where batches happen to end.
        if (_inspections.Count > 0)
            yield return Command($"""
                UPDATE {context.Table(StatisticsProjection.Orders)} o SET inspection_kind = i.kind FROM {inspections} i
                 WHERE i.inspection_id = ANY($1) AND o.inspection_id = i.inspection_id AND o.inspection_kind IS NULL
                """, Array(_inspections.Select(i => i.Id)));
        if (_completed.Count > 0)
            yield return Command($"UPDATE {inspections} i SET completed_on = u.d FROM unnest($1::uuid[], $2::date[]) AS u(id, d) WHERE i.inspection_id = u.id",
                Array(_completed.Keys), Array(_completed.Values));
        if (_cancelled.Count > 0)
            yield return Command($"UPDATE {inspections} SET cancelled = true WHERE inspection_id = ANY($1)", Array(_cancelled));
        if (_findings.Count > 0)
            yield return Command($"UPDATE {inspections} i SET findings = i.findings + u.n FROM unnest($1::uuid[], $2::int[]) AS u(id, n) WHERE i.inspection_id = u.id",
                Array(_findings.Keys), Array(_findings.Values));
        if (_orders.Count > 0)
            yield return Command($"""
                INSERT INTO {context.Table(StatisticsProjection.Orders)} (order_id, organization_type, issuer, kind, issued_on, inspection_kind, inspection_id)
                SELECT u.id, u.organization_type, u.issuer, u.kind, u.issued_on, i.kind, u.inspection
                  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::date[], $6::uuid[]) AS u(id, organization_type, issuer, kind, issued_on, inspection)
                  LEFT JOIN {inspections} i ON i.inspection_id = u.inspection
                ON CONFLICT (order_id) DO NOTHING
                """,
                Array(_orders.Select(o => o.Id)), Array(_orders.Select(o => o.OrganizationType)), Array(_orders.Select(o => o.Issuer)),
                Array(_orders.Select(o => o.Kind)), Array(_orders.Select(o => o.IssuedOn)), Array(_orders.Select(o => o.Inspection)));
        var senders = context.Table(StatisticsProjection.SendingOrganizations);
        if (_senders.Count > 0)
            yield return Command($"INSERT INTO {senders} (id, country) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT (id) DO NOTHING",
                Array(_senders.Select(s => s.Id)), Array(_senders.Select(s => s.Country)));
        var reports = context.Table(StatisticsProjection.MocReports);
        if (_reports.Count > 0)
            yield return Command($"""
                INSERT INTO {reports} (report_id, sending_organization_id, country, reported_on, fiscal_year, response)
                SELECT u.id, u.sender, s.country, u.reported_on, u.fiscal_year, 'None'
                  FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::int[]) AS u(id, sender, reported_on, fiscal_year)
                  JOIN {senders} s ON s.id = u.sender
                ON CONFLICT (report_id) DO NOTHING
                """,
                Array(_reports.Select(r => r.Id)), Array(_reports.Select(r => r.Sender)), Array(_reports.Select(r => r.ReportedOn)),
                Array(_reports.Select(r => FiscalYear.Of(r.ReportedOn))));
        if (_responses.Count > 0)
            yield return Command($"UPDATE {reports} r SET response = u.response FROM unnest($1::uuid[], $2::text[]) AS u(id, response) WHERE r.report_id = u.id",
                Array(_responses.Keys), Array(_responses.Values));
        var mocs = context.Table(StatisticsProjection.MocAgreements);
        if (_mocs.Count > 0)
            yield return Command($"INSERT INTO {mocs} (moc_id, country, in_force_from) SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[]) ON CONFLICT DO NOTHING",
                Array(_mocs.Select(m => m.Id)), Array(_mocs.Select(m => m.Country)), Array(_mocs.Select(m => m.InForceFrom)));
        foreach (var (country, endedOn) in _mocEnds) // one open memorandum per country: the one that ends
            yield return Command($"UPDATE {mocs} SET ended_on = $2 WHERE country = $1 AND ended_on IS NULL",
                new NpgsqlParameter<string> { TypedValue = country }, new NpgsqlParameter<DateOnly> { TypedValue = endedOn });
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Array<T>(IEnumerable<T> values) => new NpgsqlParameter<T[]> { TypedValue = [.. values] };
}
