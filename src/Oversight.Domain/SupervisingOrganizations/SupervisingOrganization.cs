using Oversight.Domain.Common;
using Oversight.Domain.ImplementingOrganizations;

namespace Oversight.Domain.SupervisingOrganizations;

public enum PermitStatus
{
    Active,
    Revoked,
    Abolished,
    Lapsed,
}

/// <summary>
/// A supervising organization's state, folded from its stream <c>so-{id}</c>. <see cref="Terms"/> holds every term of the
/// permit so far (a renewal is recorded before the current term ends, which still runs until then); <see cref="Permit"/> is the latest.
/// </summary>
public sealed record SupervisingOrganization(
    Guid Id, string PermitNumber, string CorporateNumber, string Name, string Prefecture, PermitCategory Category,
    IReadOnlyList<Period> Terms, Regime Regime, PermitStatus Status, IReadOnlyList<Period> BusinessSuspensions,
    IReadOnlyList<Period> AcceptanceSuspensions, DateOnly? HearingNoticedOn, DateOnly? EndedOn)
{
    public static string StreamId(Guid id) => $"so-{id}";

    /// <summary>Folds one event; the first must be the registration.</summary>
    public static SupervisingOrganization? Evolve(SupervisingOrganization? state, object e) => (state, e) switch
    {
        (null, SupervisingOrganizationRegistered r) => new SupervisingOrganization(r.OrganizationId, r.PermitNumber, r.CorporateNumber, r.Name,
            r.Prefecture, r.Category, [new Period(r.PermitFrom, r.PermitTo)], r.Regime, PermitStatus.Active, [], [], null, null),
        (not null, PermitRenewed r) => state with { Terms = [.. state.Terms, new Period(r.From, r.To)] },
        (not null, PermitCategoryChanged c) => state with { Category = c.To },
        (not null, BusinessSuspended s) => state with { BusinessSuspensions = [.. state.BusinessSuspensions, new Period(s.From, s.To)] },
        (not null, AcceptanceSuspended s) => state with { AcceptanceSuspensions = [.. state.AcceptanceSuspensions, new Period(s.From, s.To)] },
        (not null, RevocationHearingNoticed n) => state with { HearingNoticedOn = n.NoticedOn },
        (not null, PermitRevoked r) => state with { Status = PermitStatus.Revoked, EndedOn = r.EffectiveOn },
        (not null, BusinessAbolished a) => state with { Status = PermitStatus.Abolished, EndedOn = a.EffectiveOn },
        (not null, PermitLapsed l) => state with { Status = PermitStatus.Lapsed, EndedOn = l.LapsedOn },
        _ => state,
    };

    public bool IsActive => Status == PermitStatus.Active;

    /// <summary>The latest term of the permit.</summary>
    public Period Permit => Terms[^1];

    /// <summary>Whether the organization held a valid permit on <paramref name="date"/>: within one of its terms and not ended before it.</summary>
    public bool IsPermittedOn(DateOnly date) => InTerm(date) && (EndedOn is not { } ended || date < ended);

    private bool InTerm(DateOnly date) => Terms.Any(t => t.Contains(date));

    /// <summary>General permits cover plans No.1–3; Specified ones No.1–2 only (Art.23, Cabinet Order Art.2).</summary>
    public bool MaySupervise(PlanType type) => type != PlanType.No3 || Category == PermitCategory.General;

    public bool IsAcceptanceSuspendedOn(DateOnly date) => AcceptanceSuspensions.Any(p => p.Contains(date));

    internal void EnsureActive(string action)
    {
        if (!IsActive)
            throw new RuleViolation("organization-not-active", $"Supervising organization {Id} is {Status.ToString().ToLowerInvariant()} since {EndedOn:yyyy-MM-dd}: it cannot {action}.");
    }

    /// <summary>
    /// An act on the organization dated <paramref name="date"/> needs its permit in force that day: not before the term starts
    /// (<c>permit-not-yet-in-force</c>) and not after it ran out (<c>permit-lapsed</c>: an expired permit is not revoked or suspended).
    /// </summary>
    internal void EnsurePermittedOn(DateOnly date, string action, string field)
    {
        EnsureActive(action);
        if (date < Terms[0].From)
            throw new RuleViolation("permit-not-yet-in-force", $"The permit {PermitNumber} runs from {Terms[0].From:yyyy-MM-dd}: it cannot {action} on {date:yyyy-MM-dd}.", field);
        if (!InTerm(date))
            throw new RuleViolation("permit-lapsed", $"The permit {PermitNumber} was not in force on {date:yyyy-MM-dd} (its term ran out on {Permit.To:yyyy-MM-dd}): it cannot {action}.", field);
    }
}
