using System.ComponentModel.DataAnnotations;
using Oversight.Domain.CorrectionOrders;

namespace Oversight.Api.CorrectionOrders;

/// <summary>An improvement order needs a legal basis (Art.36 for a supervising, Art.15 for an implementing organization) and a published reason.</summary>
public sealed record IssueCorrectionOrderRequest([Required] Guid? OrganizationId, Guid? InspectionId, [Required] CorrectionIssuer? Issuer,
    [Required] CorrectionOrderKind? Kind, [Required] DateOnly? IssuedOn, [Required] DateOnly? DueOn, [MaxLength(200)] IReadOnlyList<Guid>? FindingIds,
    [RegularExpression(Domain.Common.LegalBasis.Format)] string? LegalBasis, [StringLength(2000)] string? Reason)
{
    internal static readonly IssueCorrectionOrderRequest Example = new(Guid.Parse("01934b9e-0000-7000-8000-000000000001"), Guid.Parse("01934b9e-0000-7000-8000-0000000000a1"),
        CorrectionIssuer.Ministers, CorrectionOrderKind.ImprovementOrder, new(2023, 7, 1), new(2023, 8, 31),
        [Guid.Parse("01934b9e-0000-7000-8000-0000000000f1")], "Art.15", "Wages unpaid to trainees.");
}

public sealed record ReportCorrectionRequest([Required] DateOnly? ReportedOn, [Required, StringLength(4000)] string? Summary)
{
    internal static readonly ReportCorrectionRequest Example = new(new(2023, 8, 20), "Back pay settled; time records now kept electronically.");
}

public enum VerificationDecision
{
    Verified,
    Rejected,
}

/// <summary>The issuer's verdict on the reported correction; a rejection needs a reason and reopens the order.</summary>
public sealed record VerifyCorrectionRequest([Required] VerificationDecision? Decision, [Required] DateOnly? DecidedOn, [StringLength(2000)] string? Reason)
{
    internal static readonly VerifyCorrectionRequest Example = new(VerificationDecision.Verified, new(2023, 9, 5), null);
}

public sealed record EscalateCorrectionOrderRequest([Required] DateOnly? EscalatedOn, [Required, StringLength(100)] string? To, [Required, StringLength(2000)] string? Reason)
{
    internal static readonly EscalateCorrectionOrderRequest Example = new(new(2023, 10, 1), "PlanRevocation", "The order was not complied with.");
}
