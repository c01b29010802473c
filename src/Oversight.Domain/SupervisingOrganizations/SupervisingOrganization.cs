using Oversight.Domain.Common;
using Oversight.Domain.ImplementingOrganizations;

namespace Oversight.Domain.SupervisingOrganizations;

public enum PermitStatus
{
    Active,
    Revoked,
    Abolished,
}

/// <summary>A supervising organization's state, folded from its stream <c>so-{id}</c>.</summary>
public sealed record SupervisingOrganization(
    Guid Id, string PermitNumber, string CorporateNumber, string Name, string Prefecture, PermitCategory Category,
    Period Permit, Regime Regime, PermitStatus Status, IReadOnlyList<Period> BusinessSuspensions,
    IReadOnlyList<Period> AcceptanceSuspensions, DateOnly? HearingNoticedOn, DateOnly? EndedOn)
{
    public static string StreamId(Guid id) => $"so-{id}";

    /// <summary>Folds one event; the first must be the registration.</summary>
    public static SupervisingOrganization? Evolve(SupervisingOrganization? state, object e) => (state, e) switch
    {
        (null, SupervisingOrganizationRegistered r) => new SupervisingOrganization(r.OrganizationId, r.PermitNumber, r.CorporateNumber, r.Name,
            r.Prefecture, r.Category, new Period(r.PermitFrom, r.PermitTo), r.Regime, PermitStatus.Active, [], [], null, null),
        (not null, PermitRenewed r) => state with { Permit = new Period(r.From, r.To) },
        (not null, PermitCategoryChanged c) => state with { Category = c.To },
        (not null, BusinessSuspended s) => state with { BusinessSuspensions = [.. state.BusinessSuspensions, new Period(s.From, s.To)] },
        (not null, AcceptanceSuspended s) => state with { AcceptanceSuspensions = [.. state.AcceptanceSuspensions, new Period(s.From, s.To)] },
        (not null, RevocationHearingNoticed n) => state with { HearingNoticedOn = n.NoticedOn },
        (not null, PermitRevoked r) => state with { Status = PermitStatus.Revoked, EndedOn = r.EffectiveOn },
        (not null, BusinessAbolished a) => state with { Status = PermitStatus.Abolished, EndedOn = a.EffectiveOn },
        _ => state,
    };

    public bool IsActive => Status == PermitStatus.Active;

    /// <summary>General permits cover plans No.1–3; Specified ones No.1–2 only (Art.23, Cabinet Order Art.2).</summary>
    public bool MaySupervise(PlanType type) => type != PlanType.No3 || Category == PermitCategory.General;

    public bool IsAcceptanceSuspendedOn(DateOnly date) => AcceptanceSuspensions.Any(p => p.Contains(date));

    internal void EnsureActive(string action)
    {
        if (!IsActive)
            throw new RuleViolation("organization-not-active", $"Supervising organization {Id} is {Status.ToString().ToLowerInvariant()} since {EndedOn:yyyy-MM-dd}: it cannot {action}.");
    }
}
