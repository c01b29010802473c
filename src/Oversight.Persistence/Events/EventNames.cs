using System.Globalization;
using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Inspections;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.Moc;
using Oversight.Domain.Referrals;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;

namespace Oversight.Persistence.Events;

/// <summary>
/// The stored name of every domain event, <c>Name.vN</c>: explicit, never the CLR name, and versioned so a
/// new shape gets a new name and an upcaster from the old one. Names are part of the evidence (the hash
/// chain covers them): never rename one.
/// </summary>
public static class EventNames
{
    public static IReadOnlyList<(Type Type, string Name)> Domain { get; } =
    [
        (typeof(SupervisingOrganizationRegistered), "SupervisingOrganizationRegistered.v1"),
        (typeof(PermitRenewed), "PermitRenewed.v1"),
        (typeof(PermitCategoryChanged), "PermitCategoryChanged.v1"),
        (typeof(BusinessSuspended), "BusinessSuspended.v1"),
        (typeof(AcceptanceSuspended), "AcceptanceSuspended.v1"),
        (typeof(RevocationHearingNoticed), "RevocationHearingNoticed.v1"),
        (typeof(PermitRevoked), "PermitRevoked.v1"),
        (typeof(BusinessAbolished), "BusinessAbolished.v1"),
        (typeof(PermitLapsed), "PermitLapsed.v1"),
        (typeof(EntityDisqualified), "EntityDisqualified.v1"),
        (typeof(InspectionScheduled), "InspectionScheduled.v1"),
        (typeof(InspectionStarted), "InspectionStarted.v1"),
        (typeof(FindingRecorded), "FindingRecorded.v1"),
        (typeof(FindingRetracted), "FindingRetracted.v1"),
        (typeof(InspectionCompleted), "InspectionCompleted.v1"),
        (typeof(InspectionCancelled), "InspectionCancelled.v1"),
        (typeof(InspectionOverdue), "InspectionOverdue.v1"),
        (typeof(TraffickingSuspicionReferred), "TraffickingSuspicionReferred.v1"),
        (typeof(ImplementingOrganizationRegistered), "ImplementingOrganizationRegistered.v1"),
        (typeof(TrainingPlanAccredited), "TrainingPlanAccredited.v1"),
        (typeof(SupervisingOrganizationChanged), "SupervisingOrganizationChanged.v1"),
        (typeof(TraineeDisappearanceReported), "TraineeDisappearanceReported.v1"),
        (typeof(ImplementingOrganizationAcceptanceSuspended), "ImplementingOrganizationAcceptanceSuspended.v1"),
        (typeof(PlanAccreditationRevoked), "PlanAccreditationRevoked.v1"),
        (typeof(CorrectionOrderIssued), "CorrectionOrderIssued.v1"),
        (typeof(CorrectionReported), "CorrectionReported.v1"),
        (typeof(CorrectionVerified), "CorrectionVerified.v1"),
        (typeof(CorrectionRejected), "CorrectionRejected.v1"),
        (typeof(CorrectionOrderOverdue), "CorrectionOrderOverdue.v1"),
        (typeof(CorrectionOrderEscalated), "CorrectionOrderEscalated.v1"),
        (typeof(SendingOrganizationRegistered), "SendingOrganizationRegistered.v1"),
        (typeof(SendingOrganizationReportedUnderMoc), "SendingOrganizationReportedUnderMoc.v1"),
        (typeof(SendingCountryResponded), "SendingCountryResponded.v1"),
        (typeof(SendingOrganizationAcceptanceSuspended), "SendingOrganizationAcceptanceSuspended.v1"),
        (typeof(MocSigned), "MocSigned.v1"),
        (typeof(MocEnded), "MocEnded.v1"),
        (typeof(Oversight.Domain.Common.PersonalDataErased), "PersonalDataErased.v1"),
    ];

    /// <summary>Splits a stored name into the event's name and its schema version (<c>FindingRecorded.v1</c> → FindingRecorded, 1).</summary>
    public static (string Name, int SchemaVersion) Parse(string storedName)
    {
        ArgumentNullException.ThrowIfNull(storedName);
        var dot = storedName.LastIndexOf(".v", StringComparison.Ordinal);
        return dot > 0 && int.TryParse(storedName.AsSpan(dot + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? (storedName[..dot], version)
            : (storedName, 1);
    }
}
