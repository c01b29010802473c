using Oversight.Domain.Common;

namespace Oversight.Domain.ImplementingOrganizations;

public sealed record TrainingPlan(string Number, PlanType Type, int Trainees, string SendingCountry, Guid? SendingOrganizationId, Period Term,
    Regime Regime, bool Revoked, DateOnly? AccreditedOn = null);

/// <summary>An implementing organization, folded from its stream <c>io-{id}</c>.</summary>
public sealed record ImplementingOrganization(
    Guid Id, string CorporateNumber, string Name, string Prefecture, string Industry, Guid SupervisingOrganizationId,
    IReadOnlyList<TrainingPlan> Plans, IReadOnlyList<Period> AcceptanceSuspensions, int DisappearedTrainees, bool FullyRevoked, DateOnly? RevokedOn,
    DateOnly? RegisteredOn = null)
{
    public static string StreamId(Guid id) => $"io-{id}";

    public static ImplementingOrganization? Evolve(ImplementingOrganization? state, object e) => (state, e) switch
    {
        (null, ImplementingOrganizationRegistered r) => new ImplementingOrganization(r.OrganizationId, r.CorporateNumber, r.Name, r.Prefecture,
            r.Industry, r.SupervisingOrganizationId, [], [], 0, false, null, r.RegisteredOn),
        (not null, TrainingPlanAccredited p) => state with
        {
            Plans = [.. state.Plans, new TrainingPlan(p.PlanNumber, p.Type, p.Trainees, p.SendingCountry, p.SendingOrganizationId,
                new Period(p.From, p.To), p.Regime, false, p.AccreditedOn)],
        },
        (not null, SupervisingOrganizationChanged c) => state with { SupervisingOrganizationId = c.To },
        (not null, TraineeDisappearanceReported d) => state with { DisappearedTrainees = state.DisappearedTrainees + d.Count },
        (not null, ImplementingOrganizationAcceptanceSuspended s) => state with { AcceptanceSuspensions = [.. state.AcceptanceSuspensions, new Period(s.From, s.To)] },
        (not null, PlanAccreditationRevoked r) => Revoke(state, r),
        _ => state,
    };

    private static ImplementingOrganization Revoke(ImplementingOrganization state, PlanAccreditationRevoked r)
    {
        var plans = state.Plans.Select(p => r.PlanNumbers.Contains(p.Number) ? p with { Revoked = true } : p).ToArray();
        var fully = r.All || plans.All(p => p.Revoked);
        return state with { Plans = plans, FullyRevoked = fully, RevokedOn = fully ? r.EffectiveOn : null };
    }

    /// <summary>False once every plan accreditation is revoked: from then on the organization is only read.</summary>
    public bool IsActive => !FullyRevoked;

    public bool IsAcceptanceSuspendedOn(DateOnly date) => AcceptanceSuspensions.Any(p => p.Contains(date));

    /// <summary>An act dated <paramref name="date"/> cannot precede the registration (when its date is known).</summary>
    internal void EnsureRegisteredBy(DateOnly date, string field)
    {
        if (RegisteredOn is { } registered && date < registered)
            throw new RuleViolation("before-registration", $"Implementing organization {Id} was registered on {registered:yyyy-MM-dd}; nothing about it is dated {date:yyyy-MM-dd}.", field);
    }

    internal void EnsureActive(string action)
    {
        if (!IsActive)
            throw new RuleViolation("organization-not-active", $"Implementing organization {Id} had all its plan accreditations revoked on {RevokedOn:yyyy-MM-dd}: it cannot {action}.");
    }
}
