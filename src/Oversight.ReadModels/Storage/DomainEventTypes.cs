using Oversight.EventStore.Serialization;

namespace Oversight.ReadModels.Storage;

/// <summary>
/// The stored name of every domain event. Names are part of the evidence: never rename one; change a shape
/// by raising its schema version and registering an upcaster from the old one.
/// </summary>
public static class DomainEventTypes
{
    public static EventTypeRegistry RegisterDomainEvents(this EventTypeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var json = DomainEventJson.Default;
        return registry
            .Register("SupervisingOrganizationRegistered", json.SupervisingOrganizationRegistered)
            .Register("PermitRenewed", json.PermitRenewed)
            .Register("PermitCategoryChanged", json.PermitCategoryChanged)
            .Register("BusinessSuspended", json.BusinessSuspended)
            .Register("AcceptanceSuspended", json.AcceptanceSuspended)
            .Register("RevocationHearingNoticed", json.RevocationHearingNoticed)
            .Register("PermitRevoked", json.PermitRevoked)
            .Register("BusinessAbolished", json.BusinessAbolished)
            .Register("EntityDisqualified", json.EntityDisqualified)
            .Register("InspectionScheduled", json.InspectionScheduled)
            .Register("InspectionStarted", json.InspectionStarted)
            .Register("FindingRecorded", json.FindingRecorded)
            .Register("FindingRetracted", json.FindingRetracted)
            .Register("InspectionCompleted", json.InspectionCompleted)
            .Register("InspectionCancelled", json.InspectionCancelled)
            .Register("InspectionOverdue", json.InspectionOverdue)
            .Register("TraffickingSuspicionReferred", json.TraffickingSuspicionReferred)
            .Register("ImplementingOrganizationRegistered", json.ImplementingOrganizationRegistered)
            .Register("TrainingPlanAccredited", json.TrainingPlanAccredited)
            .Register("SupervisingOrganizationChanged", json.SupervisingOrganizationChanged)
            .Register("TraineeDisappearanceReported", json.TraineeDisappearanceReported)
            .Register("ImplementingOrganizationAcceptanceSuspended", json.ImplementingOrganizationAcceptanceSuspended)
            .Register("PlanAccreditationRevoked", json.PlanAccreditationRevoked)
            .Register("CorrectionOrderIssued", json.CorrectionOrderIssued)
            .Register("CorrectionReported", json.CorrectionReported)
            .Register("CorrectionVerified", json.CorrectionVerified)
            .Register("CorrectionRejected", json.CorrectionRejected)
            .Register("CorrectionOrderOverdue", json.CorrectionOrderOverdue)
            .Register("CorrectionOrderEscalated", json.CorrectionOrderEscalated)
            .Register("SendingOrganizationRegistered", json.SendingOrganizationRegistered)
            .Register("SendingOrganizationReportedUnderMoc", json.SendingOrganizationReportedUnderMoc)
            .Register("SendingCountryResponded", json.SendingCountryResponded)
            .Register("SendingOrganizationAcceptanceSuspended", json.SendingOrganizationAcceptanceSuspended);
    }
}
