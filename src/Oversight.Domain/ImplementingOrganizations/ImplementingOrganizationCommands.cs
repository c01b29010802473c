using Oversight.Domain.Common;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.Moc;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;

namespace Oversight.Domain.ImplementingOrganizations;

public sealed record RegisterImplementingOrganization(Guid OrganizationId, CorporateNumber CorporateNumber, string Name, string Prefecture, string Industry,
    Guid SupervisingOrganizationId);

public sealed record AccreditTrainingPlan(string PlanNumber, PlanType Type, int Trainees, string SendingCountry, Guid? SendingOrganizationId, Period Term);

public sealed record ChangeSupervisingOrganization(Guid To, DateOnly EffectiveOn);

public sealed record ReportTraineeDisappearance(int Count, DateOnly ReportedOn, string? PlanNumber);

public sealed record SuspendImplementingOrganizationAcceptance(Period Period, string PublishedReason);

/// <summary>Revokes the named plan accreditations, or every remaining one when <see cref="PlanNumbers"/> is null or empty.</summary>
public sealed record RevokePlanAccreditations(DateOnly EffectiveOn, IReadOnlyList<string>? PlanNumbers, LegalBasis LegalBasis, string PublishedReason);

/// <summary>
/// The rules for implementing organizations. The caller loads what a rule reads from other streams (the legal entity,
/// the supervising and sending organizations) and passes the business date; nothing here reads a clock.
/// </summary>
public static class ImplementingOrganizationRules
{
    public static object[] Decide(ImplementingOrganization? state, LegalEntity entity, SupervisingOrganization? supervisor, DateOnly registeredOn,
        RegisterImplementingOrganization c)
    {
        if (state is not null) throw new RuleViolation("already-registered", $"Implementing organization {c.OrganizationId} is already registered.");
        if (string.IsNullOrWhiteSpace(c.Name)) throw new InvalidValue("name", "A name is required.");
        if (string.IsNullOrWhiteSpace(c.Industry)) throw new InvalidValue("industry", "An industry is required.");
        PermittedSupervisor(supervisor, c.SupervisingOrganizationId, registeredOn, "supervisingOrganizationId");
        entity.EnsureQualified(registeredOn);
        return [new ImplementingOrganizationRegistered(c.OrganizationId, c.CorporateNumber.Value, c.Name.Trim(), c.Prefecture, c.Industry.Trim(),
            c.SupervisingOrganizationId, registeredOn)];
    }

    /// <summary>
    /// Accreditation (Art.8): the organization, its supervisor and the sending organization must all be free to accept trainees
    /// on <paramref name="accreditedOn"/>; plan No.3 needs a General supervisor; a plan covers one stage (No.1 one year, No.2/No.3 two).
    /// A named sending organization needs a memorandum with its country in force that day (<paramref name="moc"/>: that country's, if any).
    /// </summary>
    public static object[] Decide(ImplementingOrganization? state, LegalEntity entity, SupervisingOrganization? supervisor, SendingOrganization? sender,
        MocAgreement? moc, DateOnly accreditedOn, AccreditTrainingPlan c)
    {
        var io = Existing(state);
        io.EnsureActive("have a plan accredited");
        io.EnsureRegisteredBy(accreditedOn, "accreditedOn");
        if (io.IsAcceptanceSuspendedOn(accreditedOn))
            throw new RuleViolation("acceptance-suspended", $"The organization may not accept trainees on {accreditedOn:yyyy-MM-dd}: its acceptance is suspended.");
        entity.EnsureQualified(accreditedOn);

        var so = PermittedSupervisor(supervisor, io.SupervisingOrganizationId, accreditedOn, null);
        if (so.IsAcceptanceSuspendedOn(accreditedOn))
            throw new RuleViolation("supervising-organization-suspended", $"The supervising organization's acceptance is suspended on {accreditedOn:yyyy-MM-dd}.");
        if (!so.MaySupervise(c.Type))
            throw new RuleViolation("plan-type-not-allowed", $"A {so.Category} supervising organization may not supervise a plan {c.Type}.", "type");

        if (io.Plans.Any(p => p.Number == c.PlanNumber)) throw new RuleViolation("plan-exists", $"Plan {c.PlanNumber} is already accredited.", "planNumber");
        if (c.Trainees < 1) throw new InvalidValue("trainees", "A plan covers at least one trainee.");
        if (string.IsNullOrWhiteSpace(c.SendingCountry)) throw new InvalidValue("sendingCountry", "A sending country is required.");
        var maxYears = c.Type == PlanType.No1 ? 1 : 2;
        if (!c.Term.LastsAtMost(maxYears))
            throw new RuleViolation("plan-term-too-long", $"A plan {c.Type} runs at most {maxYears} year{(maxYears > 1 ? "s" : "")}.", "to");
        // Training under a plan starts only once the plan is accredited (Art.8(1)).
        if (c.Term.From < accreditedOn)
            throw new RuleViolation("plan-starts-before-accreditation", $"The plan starts on {c.Term.From:yyyy-MM-dd}, before its accreditation on {accreditedOn:yyyy-MM-dd}.", "from");

        if (c.SendingOrganizationId is { } senderId)
        {
            if (sender is null)
                throw new RuleViolation("sending-organization-not-found", $"No sending organization {senderId}.", "sendingOrganizationId");
            if (sender.Id != senderId) throw new ArgumentException("The sending organization passed is not the one named.", nameof(sender));
            if (sender.Country != c.SendingCountry)
                throw new RuleViolation("sending-country-mismatch", $"The sending organization is approved in {sender.Country}, not {c.SendingCountry}.", "sendingCountry");
            if (sender.IsAcceptanceSuspendedOn(accreditedOn))
                throw new RuleViolation("sending-organization-suspended", $"No plan naming the sending organization is accredited while it is suspended ({accreditedOn:yyyy-MM-dd}).", "sendingOrganizationId");
            MocRules.EnsureInForce(moc, sender.Country, accreditedOn, "sendingOrganizationId");
        }

        return [new TrainingPlanAccredited(c.PlanNumber, c.Type, c.Trainees, c.SendingCountry, c.SendingOrganizationId, c.Term.From, c.Term.To,
            Regimes.On(c.Term.From), accreditedOn)];
    }

    /// <summary>The new supervisor must be active and allowed every plan type still running on the effective date.</summary>
    public static object[] Decide(ImplementingOrganization? state, SupervisingOrganization? newSupervisor, ChangeSupervisingOrganization c)
    {
        var io = Existing(state);
        io.EnsureActive("change its supervising organization");
        io.EnsureRegisteredBy(c.EffectiveOn, "effectiveOn");
        if (c.To == io.SupervisingOrganizationId)
            throw new RuleViolation("same-supervising-organization", "The organization is already supervised by this supervising organization.", "supervisingOrganizationId");
        var so = PermittedSupervisor(newSupervisor, c.To, c.EffectiveOn, "supervisingOrganizationId");
        var running = io.Plans.FirstOrDefault(p => !p.Revoked && p.Term.To >= c.EffectiveOn && !so.MaySupervise(p.Type));
        if (running is not null)
            throw new RuleViolation("plan-type-not-allowed", $"Plan {running.Number} ({running.Type}) is running and a {so.Category} supervising organization may not supervise it.", "supervisingOrganizationId");
        return [new SupervisingOrganizationChanged(io.SupervisingOrganizationId, c.To, c.EffectiveOn)];
    }

    public static object[] Decide(ImplementingOrganization? state, ReportTraineeDisappearance c)
    {
        var io = Existing(state);
        io.EnsureActive("report a disappearance");
        io.EnsureRegisteredBy(c.ReportedOn, "reportedOn");
        if (c.Count < 1) throw new InvalidValue("count", "At least one trainee is reported.");
        var plan = string.IsNullOrWhiteSpace(c.PlanNumber) ? null : c.PlanNumber.Trim();
        if (plan is not null)
        {
            var named = io.Plans.FirstOrDefault(p => p.Number == plan) ?? throw new RuleViolation("plan-not-found", $"No plan {plan} in this organization.", "planNumber");
            if (c.ReportedOn < named.Term.From)
                throw new RuleViolation("reported-before-plan-start", $"Plan {plan} starts on {named.Term.From:yyyy-MM-dd}: no trainee under it disappeared before.", "reportedOn");
        }
        return [new TraineeDisappearanceReported(c.Count, c.ReportedOn, plan)];
    }

    public static object[] Decide(ImplementingOrganization? state, SuspendImplementingOrganizationAcceptance c)
    {
        var io = Existing(state);
        io.EnsureActive("have its acceptance suspended");
        io.EnsureRegisteredBy(c.Period.From, "from");
        RequireReason(c.PublishedReason);
        if (io.AcceptanceSuspensions.Any(p => p.Overlaps(c.Period)))
            throw new RuleViolation("suspension-overlaps", "An acceptance suspension already covers part of this period.", "from");
        return [new ImplementingOrganizationAcceptanceSuspended(c.Period.From, c.Period.To, c.PublishedReason.Trim())];
    }

    /// <summary>Any plan revocation disqualifies the legal entity for five years from the effective date (Art.10(7)).</summary>
    public static (object[] Organization, EntityDisqualified Entity) Decide(ImplementingOrganization? state, RevokePlanAccreditations c)
    {
        var io = Existing(state);
        if (io.FullyRevoked)
            throw new RuleViolation("already-revoked", $"Every plan accreditation was already revoked on {io.RevokedOn:yyyy-MM-dd}.");
        RequireReason(c.PublishedReason);
        io.EnsureRegisteredBy(c.EffectiveOn, "effectiveOn");
        var all = c.PlanNumbers is not { Count: > 0 };
        string[] revoked;
        if (all)
        {
            revoked = [.. io.Plans.Where(p => !p.Revoked).Select(p => p.Number)];
            if (revoked.Length == 0) throw new RuleViolation("no-plans", "The organization has no plan accreditation to revoke.", "planNumbers");
        }
        else
        {
            revoked = [.. c.PlanNumbers!];
            if (revoked.Distinct().Count() != revoked.Length) throw new InvalidValue("planNumbers", "Each plan is named once.");
            foreach (var number in revoked)
            {
                var plan = io.Plans.FirstOrDefault(p => p.Number == number)
                    ?? throw new RuleViolation("plan-not-found", $"No plan {number} in this organization.", "planNumbers");
                if (plan.Revoked) throw new RuleViolation("plan-already-revoked", $"Plan {number} is already revoked.", "planNumbers");
            }
        }
        if (io.Plans.FirstOrDefault(p => revoked.Contains(p.Number) && p.AccreditedOn > c.EffectiveOn) is { } later)
            throw new RuleViolation("revoked-before-accreditation", $"Plan {later.Number} was accredited on {later.AccreditedOn:yyyy-MM-dd}, after {c.EffectiveOn:yyyy-MM-dd}.", "effectiveOn");
        return ([new PlanAccreditationRevoked(c.EffectiveOn, revoked, all, c.LegalBasis.ToString(), c.PublishedReason.Trim())],
            LegalEntity.Disqualify(io.CorporateNumber, c.EffectiveOn, $"{revoked.Length} plan accreditation(s) revoked under {c.LegalBasis}",
                ImplementingOrganization.StreamId(io.Id)));
    }

    private static ImplementingOrganization Existing(ImplementingOrganization? state) =>
        state ?? throw new RuleViolation("not-found", "No such implementing organization.");

    /// <summary>The supervising organization must exist, be active, and hold its permit on <paramref name="on"/> (not before it starts, not after it ran out).</summary>
    private static SupervisingOrganization PermittedSupervisor(SupervisingOrganization? supervisor, Guid id, DateOnly on, string? field)
    {
        if (supervisor is null) throw new RuleViolation("supervising-organization-not-found", $"No supervising organization {id}.", field);
        if (supervisor.Id != id) throw new ArgumentException("The supervising organization passed is not the one named.", nameof(supervisor));
        if (!supervisor.IsActive)
            throw new RuleViolation("supervising-organization-not-active",
                $"Supervising organization {id} is {supervisor.Status.ToString().ToLowerInvariant()} since {supervisor.EndedOn:yyyy-MM-dd}.", field);
        if (!supervisor.IsPermittedOn(on))
            throw new RuleViolation("supervising-organization-not-permitted",
                $"Supervising organization {id} did not hold its permit on {on:yyyy-MM-dd} (its current term runs {supervisor.Permit.From:yyyy-MM-dd} to {supervisor.Permit.To:yyyy-MM-dd}).", field);
        return supervisor;
    }

    private static void RequireReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new InvalidValue("reason", "A published reason is required.");
    }
}
