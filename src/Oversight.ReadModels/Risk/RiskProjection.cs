using Npgsql;
using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Inspections;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;
using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.Risk;

/// <summary>
/// Risk flags per organization, each naming the events that raised it. Events update small state tables
/// (findings, plans, sanctions, overdue facts…); then the flags of every organization the batch touched —
/// directly, through its supervising organization, a sending organization its plans name, or its legal
/// entity — are recomputed set-based from that state, so a flag is cleared by the event that ends its cause.
/// The touched set is computed in SQL, after the state changes, so the whole batch is statements only.
/// </summary>
public sealed class RiskProjection(RiskOptions options) : ISqlProjection
{
    public const string ProjectionName = "risk";

    /// <summary>Findings in these categories raise TraffickingIndicator. A change needs a new <see cref="Version"/>: the findings table stores the classification.</summary>
    internal static readonly string[] TraffickingCategories =
        ["IllegalOvertime", "UnpaidWages", "ConfiscatedPassportOrResidenceCard", "ViolenceOrThreats", "ForcedSavingsOrDeposits", "RestrictedMovement"];

    public string Name => ProjectionName;

    /// <summary>Bump (here) when the rows it writes change: see <see cref="ISqlProjection.Version"/>.</summary>
    public uint Version { get; init; } = 5; // 2: findings store their evidence entry, flags compress theirs with lz4; 3: flags raised by findings name them by filter;
                                            // 4: no work tables (the recompute is one statement); 5: trafficking findings indexed apart

    public IReadOnlyList<string> Tables { get; } = RiskTables.All;

    public IReadOnlyList<string> FormerTables { get; } = RiskTables.Former;

    public IReadOnlyList<Type> EventTypes { get; } =
    [
        typeof(SupervisingOrganizationRegistered), typeof(SupervisingOrganizationChanged), typeof(ImplementingOrganizationRegistered),
        typeof(TrainingPlanAccredited), typeof(PlanAccreditationRevoked), typeof(PermitRevoked), typeof(BusinessAbolished), typeof(PermitLapsed), typeof(EntityDisqualified),
        typeof(InspectionScheduled), typeof(InspectionCompleted), typeof(InspectionOverdue), typeof(FindingRecorded), typeof(FindingRetracted),
        typeof(CorrectionOrderIssued), typeof(CorrectionOrderOverdue), typeof(CorrectionVerified), typeof(CorrectionOrderEscalated),
        typeof(BusinessSuspended), typeof(AcceptanceSuspended), typeof(TraineeDisappearanceReported), typeof(SendingOrganizationReportedUnderMoc),
    ];

    public string CreateTablesSql(ProjectionTables tables) => RiskTables.CreateSql(tables);

    public void Apply(IReadOnlyList<ProjectedEvent> events, ProjectionTables tables, ICollection<NpgsqlBatchCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(commands);
        var changes = new RiskChanges(tables);
        foreach (var e in events) changes.Add(e);
        if (changes.IsEmpty) return;
        changes.Flush();
        foreach (var command in changes.Commands) commands.Add(command);
        commands.Add(RiskFlagSql.GenericPlan());
        commands.Add(RiskFlagSql.Recompute(tables, options, changes.Touched()));
    }
}
