using System.Text.Json;
using System.Text.Json.Serialization;
using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Inspections;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.Referrals;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;

namespace Oversight.ReadModels.Storage;

/// <summary>Source-generated JSON for every stored domain event: camelCase, enums as their names, dates as yyyy-MM-dd.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SupervisingOrganizationRegistered))]
[JsonSerializable(typeof(PermitRenewed))]
[JsonSerializable(typeof(PermitCategoryChanged))]
[JsonSerializable(typeof(BusinessSuspended))]
[JsonSerializable(typeof(AcceptanceSuspended))]
[JsonSerializable(typeof(RevocationHearingNoticed))]
[JsonSerializable(typeof(PermitRevoked))]
[JsonSerializable(typeof(BusinessAbolished))]
[JsonSerializable(typeof(EntityDisqualified))]
[JsonSerializable(typeof(InspectionScheduled))]
[JsonSerializable(typeof(InspectionStarted))]
[JsonSerializable(typeof(FindingRecorded))]
[JsonSerializable(typeof(FindingRetracted))]
[JsonSerializable(typeof(InspectionCompleted))]
[JsonSerializable(typeof(InspectionCancelled))]
[JsonSerializable(typeof(ImplementingOrganizationRegistered))]
[JsonSerializable(typeof(TrainingPlanAccredited))]
[JsonSerializable(typeof(SupervisingOrganizationChanged))]
[JsonSerializable(typeof(TraineeDisappearanceReported))]
[JsonSerializable(typeof(ImplementingOrganizationAcceptanceSuspended))]
[JsonSerializable(typeof(PlanAccreditationRevoked))]
[JsonSerializable(typeof(CorrectionOrderIssued))]
[JsonSerializable(typeof(CorrectionReported))]
[JsonSerializable(typeof(CorrectionVerified))]
[JsonSerializable(typeof(CorrectionRejected))]
[JsonSerializable(typeof(CorrectionOrderOverdue))]
[JsonSerializable(typeof(CorrectionOrderEscalated))]
[JsonSerializable(typeof(SendingOrganizationRegistered))]
[JsonSerializable(typeof(SendingOrganizationReportedUnderMoc))]
[JsonSerializable(typeof(SendingCountryResponded))]
[JsonSerializable(typeof(SendingOrganizationAcceptanceSuspended))]
[JsonSerializable(typeof(InspectionOverdue))]
[JsonSerializable(typeof(TraffickingSuspicionReferred))]
internal sealed partial class DomainEventJson : JsonSerializerContext;
