using Oversight.Domain.Common;
using Oversight.Domain.LegalEntities;

namespace Oversight.Domain.SupervisingOrganizations;

public sealed record RegisterSupervisingOrganization(
    Guid OrganizationId, string PermitNumber, CorporateNumber CorporateNumber, string Name, string Prefecture,
    PermitCategory Category, Period Permit);

/// <summary>A renewal of the permit for a new term.</summary>
public sealed record RenewPermit(Period Permit, bool RatedExcellent);

/// <summary>Ex-officio downgrade from General to Specified when the excellence standard is no longer met (Art.37(2)).</summary>
public sealed record DowngradeCategory(DateOnly EffectiveOn, LegalBasis LegalBasis, string PublishedReason);

/// <summary>A category change on the organization's application, effective on <see cref="EffectiveOn"/> when given.</summary>
public sealed record ChangeCategory(PermitCategory To, DateOnly? EffectiveOn = null);

public sealed record SuspendAcceptance(Period Period, string PublishedReason);

public sealed record RevokePermit(DateOnly EffectiveOn, LegalBasis LegalBasis, string PublishedReason);

public sealed record SuspendBusiness(Period Period, bool Partial, LegalBasis LegalBasis, string PublishedReason);

public sealed record NoticeRevocationHearing(DateOnly NoticedOn);

public sealed record AbolishBusiness(DateOnly EffectiveOn);

/// <summary>Sent by the scheduled check after the last day of the permit's term, with its business date.</summary>
public sealed record MarkPermitLapsed(DateOnly Today);

/// <summary>The rules for supervising organizations: each command gives the events to append, or a <see cref="RuleViolation"/>.</summary>
public static class SupervisingOrganizationRules
{
    /// <summary>Permit terms (Cabinet Order Art.2): first permits 5 years (General) or 3 (Specified); at most 7 on renewal.</summary>
    public static object[] Decide(SupervisingOrganization? state, LegalEntity entity, RegisterSupervisingOrganization c)
    {
        if (state is not null) throw new RuleViolation("already-registered", $"Supervising organization {c.OrganizationId} is already registered.");
        if (string.IsNullOrWhiteSpace(c.Name)) throw new InvalidValue("name", "A name is required.");
        var maxYears = c.Category == PermitCategory.General ? 5 : 3;
        if (!c.Permit.LastsAtMost(maxYears))
            throw new RuleViolation("permit-term-too-long", $"A first {c.Category} permit runs at most {maxYears} years.", "permitTo");
        entity.EnsureQualified(c.Permit.From);
        return [new SupervisingOrganizationRegistered(c.OrganizationId, c.PermitNumber, c.CorporateNumber.Value, c.Name.Trim(),
            c.Prefecture, c.Category, c.Permit.From, c.Permit.To, Regimes.On(c.Permit.From))];
    }

    /// <summary>Renewal terms (Cabinet Order Art.2): General 5 years, 7 if rated excellent; Specified 3, 5 if rated excellent.</summary>
    public static object[] Decide(SupervisingOrganization? state, RenewPermit c)
    {
        var so = Existing(state);
        so.EnsureActive("renew its permit");
        if (c.Permit.From <= so.Permit.From)
            throw new RuleViolation("renewal-not-after-current", $"A renewed term must start after the current one's start ({so.Permit.From:yyyy-MM-dd}).", "permitFrom");
        // A renewal continues the permit: once it has run out there is nothing to renew (a new permit is a new registration).
        if (c.Permit.From > so.Permit.To.AddDays(1))
            throw new RuleViolation("permit-lapsed", $"The permit ran out on {so.Permit.To:yyyy-MM-dd}: a term from {c.Permit.From:yyyy-MM-dd} does not renew it.", "permitFrom");
        var maxYears = (so.Category, c.RatedExcellent) switch
        {
            (PermitCategory.General, true) => 7,
            (PermitCategory.General, false) => 5,
            (_, true) => 5,
            _ => 3,
        };
        if (!c.Permit.LastsAtMost(maxYears))
            throw new RuleViolation("permit-term-too-long",
                $"A renewed {so.Category} permit{(c.RatedExcellent ? " rated excellent" : "")} runs at most {maxYears} years.", "permitTo");
        return [new PermitRenewed(c.Permit.From, c.Permit.To, c.RatedExcellent)];
    }

    /// <summary>The ministers' ex-officio downgrade; it is published (Art.37(4)).</summary>
    public static object[] Decide(SupervisingOrganization? state, DowngradeCategory c)
    {
        var so = Existing(state);
        so.EnsurePermittedOn(c.EffectiveOn, "be downgraded", "effectiveOn");
        if (so.Category == PermitCategory.Specified)
            throw new RuleViolation("already-specified", $"The permit {so.PermitNumber} is already in the Specified category.");
        RequireReason(c.PublishedReason);
        return [new PermitCategoryChanged(PermitCategory.General, PermitCategory.Specified, true, c.LegalBasis.ToString(), c.PublishedReason.Trim(), c.EffectiveOn)];
    }

    public static object[] Decide(SupervisingOrganization? state, ChangeCategory c)
    {
        var so = Existing(state);
        if (c.EffectiveOn is { } effectiveOn) so.EnsurePermittedOn(effectiveOn, "change its category", "effectiveOn");
        else so.EnsureActive("change its category");
        if (so.Category == c.To)
            throw new RuleViolation("category-unchanged", $"The permit is already in the {c.To} category.", "category");
        return [new PermitCategoryChanged(so.Category, c.To, false, null, null, c.EffectiveOn)];
    }

    public static object[] Decide(SupervisingOrganization? state, SuspendAcceptance c)
    {
        var so = Existing(state);
        so.EnsurePermittedOn(c.Period.From, "have its acceptance suspended", "from");
        RequireReason(c.PublishedReason);
        if (so.AcceptanceSuspensions.Any(p => p.Overlaps(c.Period)))
            throw new RuleViolation("suspension-overlaps", "An acceptance suspension already covers part of this period.", "from");
        return [new AcceptanceSuspended(c.Period.From, c.Period.To, c.PublishedReason.Trim())];
    }

    /// <summary>A permit is revoked once; the legal entity is disqualified for five years from the effective date.</summary>
    public static (object[] Organization, EntityDisqualified Entity) Decide(SupervisingOrganization? state, RevokePermit c)
    {
        var so = Existing(state);
        if (so.Status == PermitStatus.Revoked) throw new RuleViolation("already-revoked", $"The permit {so.PermitNumber} was already revoked on {so.EndedOn:yyyy-MM-dd}.");
        so.EnsurePermittedOn(c.EffectiveOn, "have its permit revoked", "effectiveOn");
        RequireReason(c.PublishedReason);
        return ([new PermitRevoked(c.EffectiveOn, c.LegalBasis.ToString(), c.PublishedReason.Trim())],
            LegalEntity.Disqualify(so.CorporateNumber, c.EffectiveOn, $"permit {so.PermitNumber} revoked under {c.LegalBasis}", SupervisingOrganization.StreamId(so.Id)));
    }

    public static object[] Decide(SupervisingOrganization? state, SuspendBusiness c)
    {
        var so = Existing(state);
        so.EnsurePermittedOn(c.Period.From, "be suspended", "from");
        RequireReason(c.PublishedReason);
        if (so.BusinessSuspensions.Any(p => p.Overlaps(c.Period)))
            throw new RuleViolation("suspension-overlaps", "A business suspension already covers part of this period.", "from");
        return [new BusinessSuspended(c.Period.From, c.Period.To, c.Partial, c.LegalBasis.ToString(), c.PublishedReason.Trim())];
    }

    public static object[] Decide(SupervisingOrganization? state, NoticeRevocationHearing c)
    {
        var so = Existing(state);
        so.EnsurePermittedOn(c.NoticedOn, "be noticed a revocation hearing", "noticedOn");
        return [new RevocationHearingNoticed(c.NoticedOn)];
    }

    /// <summary>Abolition after a revocation hearing was noticed still disqualifies the entity (Art.26(3)).</summary>
    public static (object[] Organization, EntityDisqualified? Entity) Decide(SupervisingOrganization? state, AbolishBusiness c)
    {
        var so = Existing(state);
        so.EnsurePermittedOn(c.EffectiveOn, "abolish its business", "effectiveOn");
        var evasive = so.HearingNoticedOn is { } noticed && noticed <= c.EffectiveOn;
        return ([new BusinessAbolished(c.EffectiveOn, evasive)],
            evasive ? LegalEntity.Disqualify(so.CorporateNumber, c.EffectiveOn, "business abolished after a revocation hearing notice", SupervisingOrganization.StreamId(so.Id)) : null);
    }

    /// <summary>Idempotent: the scheduled check may run any number of times; a permit still unrenewed after its last day lapses once.</summary>
    public static object[] Decide(SupervisingOrganization? state, MarkPermitLapsed c)
    {
        var so = Existing(state);
        return so.IsActive && c.Today > so.Permit.To ? [new PermitLapsed(so.Permit.To.AddDays(1))] : [];
    }

    internal static SupervisingOrganization Existing(SupervisingOrganization? state) =>
        state ?? throw new RuleViolation("not-found", "No such supervising organization.");

    internal static void RequireReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new InvalidValue("reason", "A published reason is required.");
    }
}
