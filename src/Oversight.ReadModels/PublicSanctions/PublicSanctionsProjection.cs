using Npgsql;
using NpgsqlTypes;
using Oversight.Domain.Common;
using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;
using Oversight.ReadModels.Storage;
using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.PublicSanctions;

/// <summary>
/// The public register of sanctions: one row per published measure, keyed by the event's global sequence,
/// plus the registered organizations' public particulars (name, prefecture, numbers) the rows refer to.
/// </summary>
public sealed class PublicSanctionsProjection : ISqlProjection
{
    public const string ProjectionName = "public-sanctions";
    internal const string Organizations = "sanction_organizations";
    internal const string Sanctions = "public_sanctions";

    public string Name => ProjectionName;

    /// <summary>Bump (here) when the rows it writes change: see <see cref="ISqlProjection.Version"/>.</summary>
    public uint Version { get; init; } = 1;
    public IReadOnlyList<string> Tables { get; } = [Organizations, Sanctions];

    public IReadOnlyList<Type> EventTypes { get; } =
    [
        typeof(SupervisingOrganizationRegistered), typeof(ImplementingOrganizationRegistered), typeof(SendingOrganizationRegistered),
        typeof(AcceptanceSuspended), typeof(BusinessSuspended), typeof(ImplementingOrganizationAcceptanceSuspended),
        typeof(SendingOrganizationAcceptanceSuspended), typeof(PermitCategoryChanged), typeof(PermitRevoked), typeof(PlanAccreditationRevoked),
        typeof(CorrectionOrderIssued),
    ];

    public string CreateTablesSql(ProjectionTables context) =>
            $"""
            CREATE TABLE IF NOT EXISTS {context.Table(Organizations)} (
                id uuid PRIMARY KEY, type text NOT NULL, name text NOT NULL, prefecture text,
                corporate_number text, permit_number text);
            CREATE TABLE IF NOT EXISTS {context.Table(Sanctions)} (
                position bigint PRIMARY KEY, type text NOT NULL, effective_on date NOT NULL, until_on date,
                fiscal_year integer NOT NULL, organization_id uuid NOT NULL, plan_numbers text[] NOT NULL,
                legal_basis text, published_reason text NOT NULL);
            """;

    public void Apply(IReadOnlyList<ProjectedEvent> events, ProjectionTables context, ICollection<NpgsqlBatchCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(commands);
        foreach (var e in events)
        {
            var command = e.Data switch
            {
                SupervisingOrganizationRegistered r => Organization(context, r.OrganizationId, "SupervisingOrganization", r.Name, r.Prefecture, r.CorporateNumber, r.PermitNumber),
                ImplementingOrganizationRegistered r => Organization(context, r.OrganizationId, "ImplementingOrganization", r.Name, r.Prefecture, r.CorporateNumber, null),
                SendingOrganizationRegistered r => Organization(context, r.SendingOrganizationId, "SendingOrganization", r.Name, null, null, r.LicenceId),
                BusinessSuspended s => Sanction(context, e, null, SanctionType.BusinessSuspension, s.From, s.To, [], s.LegalBasis, s.PublishedReason),
                AcceptanceSuspended s => Sanction(context, e, null, SanctionType.AcceptanceSuspension, s.From, s.To, [], null, s.PublishedReason),
                ImplementingOrganizationAcceptanceSuspended s => Sanction(context, e, null, SanctionType.AcceptanceSuspension, s.From, s.To, [], null, s.PublishedReason),
                SendingOrganizationAcceptanceSuspended s => Sanction(context, e, null, SanctionType.AcceptanceSuspension, s.From, s.To, [], null, s.PublishedReason),
                PermitCategoryChanged { ExOfficio: true } c => Sanction(context, e, null, SanctionType.CategoryDowngrade,
                    c.EffectiveOn ?? e.OccurredOn ?? DateOnly.FromDateTime(e.RecordedAt.UtcDateTime), null, [], c.LegalBasis, c.PublishedReason ?? ""),
                PermitRevoked r => Sanction(context, e, null, SanctionType.PermitRevocation, r.EffectiveOn, null, [], r.LegalBasis, r.PublishedReason),
                PlanAccreditationRevoked r => Sanction(context, e, null, SanctionType.PlanRevocation, r.EffectiveOn, null, [.. r.PlanNumbers], r.LegalBasis, r.PublishedReason),
                // Improvement orders are published (Arts.15(2), 37(4)); guidance and recommendations are not.
                CorrectionOrderIssued { Kind: CorrectionOrderKind.ImprovementOrder } o => Sanction(context, e, o.OrganizationId, SanctionType.ImprovementOrder,
                    o.IssuedOn, o.DueOn, [], o.LegalBasis, o.PublishedReason ?? ""),
                _ => null,
            };
            if (command is not null) commands.Add(command);
        }
    }

    private static NpgsqlBatchCommand Organization(ProjectionTables context, Guid id, string type, string name, string? prefecture,
        string? corporateNumber, string? permitNumber) =>
        new($"""
            INSERT INTO {context.Table(Organizations)} (id, type, name, prefecture, corporate_number, permit_number)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = id },
                new NpgsqlParameter<string> { TypedValue = type },
                new NpgsqlParameter<string> { TypedValue = name },
                Text(prefecture), Text(corporateNumber), Text(permitNumber),
            },
        };

    /// <summary>A register entry; the organization is the event's stream unless named (orders live in streams of their own).</summary>
    private static NpgsqlBatchCommand Sanction(ProjectionTables context, ProjectedEvent e, Guid? organizationId, SanctionType type, DateOnly effectiveOn, DateOnly? until,
        string[] planNumbers, string? legalBasis, string reason) =>
        new($"""
            INSERT INTO {context.Table(Sanctions)} (position, type, effective_on, until_on, fiscal_year, organization_id, plan_numbers, legal_basis, published_reason)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (position) DO NOTHING
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<long> { TypedValue = e.Sequence },
                new NpgsqlParameter<string> { TypedValue = type.ToString() },
                new NpgsqlParameter<DateOnly> { TypedValue = effectiveOn },
                new NpgsqlParameter { Value = (object?)until ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date },
                new NpgsqlParameter<int> { TypedValue = FiscalYear.Of(effectiveOn) },
                new NpgsqlParameter<Guid> { TypedValue = organizationId ?? StreamIds.IdOf(e.StreamId) },
                new NpgsqlParameter<string[]> { TypedValue = planNumbers },
                Text(legalBasis),
                new NpgsqlParameter<string> { TypedValue = reason },
            },
        };

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
