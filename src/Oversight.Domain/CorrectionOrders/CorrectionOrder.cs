using Oversight.Domain.Inspections;

namespace Oversight.Domain.CorrectionOrders;

public enum CorrectionOrderStatus
{
    Open,
    Reported,
    Verified,
    Escalated,
}

/// <summary>A correction order, folded from its stream <c>correction-order-{id}</c>.</summary>
public sealed record CorrectionOrder(
    Guid Id, Guid OrganizationId, OrganizationType OrganizationType, Guid? InspectionId, CorrectionIssuer Issuer, CorrectionOrderKind Kind,
    DateOnly IssuedOn, DateOnly DueOn, IReadOnlyList<Guid> FindingIds, string? LegalBasis, CorrectionOrderStatus Status,
    DateOnly? ReportedOn, DateOnly? VerifiedOn, DateOnly? OverdueMarkedFor, DateOnly? EscalatedOn, string? EscalatedTo)
{
    public static string StreamId(Guid id) => $"correction-order-{id}";

    public static CorrectionOrder? Evolve(CorrectionOrder? state, object e) => (state, e) switch
    {
        (null, CorrectionOrderIssued i) => new CorrectionOrder(i.OrderId, i.OrganizationId, i.OrganizationType, i.InspectionId, i.Issuer, i.Kind,
            i.IssuedOn, i.DueOn, i.FindingIds, i.LegalBasis, CorrectionOrderStatus.Open, null, null, null, null, null),
        (not null, CorrectionReported r) => state with { Status = CorrectionOrderStatus.Reported, ReportedOn = r.ReportedOn },
        (not null, CorrectionVerified v) => state with { Status = CorrectionOrderStatus.Verified, VerifiedOn = v.VerifiedOn },
        (not null, CorrectionRejected) => state with { Status = CorrectionOrderStatus.Open },
        (not null, CorrectionOrderOverdue o) => state with { OverdueMarkedFor = o.DueOn },
        (not null, CorrectionOrderEscalated x) => state with { Status = CorrectionOrderStatus.Escalated, EscalatedOn = x.EscalatedOn, EscalatedTo = x.To },
        _ => state,
    };

    /// <summary>Past its due date without a verified correction (design §5); an escalated order is superseded by the next measure.</summary>
    public bool IsOverdueOn(DateOnly date) => date > DueOn && Status is CorrectionOrderStatus.Open or CorrectionOrderStatus.Reported;
}
