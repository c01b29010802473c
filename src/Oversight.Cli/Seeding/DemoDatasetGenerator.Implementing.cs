using Oversight.Domain.Common;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.LegalEntities;

namespace Oversight.Cli.Seeding;

public sealed partial class DemoDatasetGenerator
{
    private sealed class Io(DateOnly registeredOn)
    {
        public Guid Id { get; set; }
        public string StreamId => ImplementingOrganization.StreamId(Id);
        public DateOnly RegisteredOn { get; } = registeredOn;
        public string CorporateNumber { get; set; } = "";
        public string Prefecture { get; set; } = "";
        public int Industry { get; set; }
        public string Country { get; set; } = "";
        public bool Excellent { get; set; }
        public DateOnly? RevokeOn { get; set; }
        public ImplementingOrganization? State { get; set; }
        public LegalEntity Entity { get; set; } = LegalEntity.None;
        public List<(DateOnly Date, object Data)> Events { get; } = [];
        public DateOnly? FirstPlanOn { get; set; }
        public DateOnly LastPlanTo { get; set; }
        public DateOnly? RevokedOn { get; set; }
        public DateOnly LastCompleted { get; set; }

        public DateOnly LastEventOn => Events.Count == 0 ? RegisteredOn : Events[^1].Date;

        /// <summary>Active (in the rules' sense) until every plan is revoked.</summary>
        public DateOnly LastActiveDay => State is { FullyRevoked: true, RevokedOn: { } revoked } ? revoked.AddDays(-1) : SeedProfile.End;

        /// <summary>Trains someone (a plan accredited and not over), so worth inspecting: from the first accreditation to the end of the last plan.</summary>
        public DateOnly LastOperatingDay => SeedProfile.Min(LastActiveDay, SeedProfile.Min(LastPlanTo, SeedProfile.End));
    }

    private sealed class PlanIntent(PlanType type, DateOnly accreditOn, DateOnly from, int trainees, PlanIntent? previous)
    {
        public PlanType Type { get; } = type;
        public DateOnly AccreditOn { get; } = accreditOn;
        public DateOnly From { get; } = from;
        public DateOnly To { get; } = from.AddYears(type == PlanType.No1 ? 1 : 2).AddDays(-1);
        public int Trainees { get; } = trainees;
        public PlanIntent? Previous { get; } = previous;
        public string? Number { get; set; }
        public string Country { get; set; } = "";
        public Sender? Sender { get; set; }
    }

    private sealed record DisappearanceIntent(PlanIntent Plan, int Count, bool NamePlan);

    private sealed record VoluntaryChangeIntent;

    private sealed record RevocationIntent(bool Named);

    private static readonly LegalBasis[] PlanRevocationBases = [new(16, 1, 1), new(16, 1, 4), new(16, 1, 7), new(16, 1, 2), new(16, 1, 5), new(16, 1, 6)];
    private static readonly double[] PlanRevocationBasisWeights = [30, 25, 20, 12, 5, 8];

    private static readonly string[] PlanRevocationReasons =
    [
        "Training was not carried out according to the accredited plan, and wages were unpaid.",
        "False reports were submitted to OTIT about working hours and wages.",
        "Trainees' passports were held and overtime beyond the legal limit was imposed.",
        "An improvement order was not complied with.",
        "The organization was convicted under the Labour Standards Act.",
    ];

    private void GenerateImplementingOrganizations(SeedRandom random)
    {
        var count = _profile.ImplementingOrganizations;
        var registered = new List<Io>(count);
        for (var i = 0; i < count; i++)
        {
            var fy = SeedProfile.FirstFiscalYear + random.Weighted([.. SeedProfile.ImplementingRegistrationShares]);
            var (from, to) = SeedProfile.Within(fy);
            // Registrations end a few weeks before the end of the history, so the first plan can follow.
            registered.Add(new Io(random.Date(from, SeedProfile.Min(to, SeedProfile.End.AddDays(-60)))));
        }
        foreach (var io in registered.OrderBy(o => o.RegisteredOn))
        {
            io.Id = random.Uuid7(io.RegisteredOn);
            io.CorporateNumber = CorporateNumberFor(random, "01");
            io.Prefecture = Prefecture(random);
            io.Industry = random.Weighted(SeedNames.IndustryWeights);
            io.Country = SendingCountries[random.Weighted(CountryWeights)].Code;
            io.Excellent = random.Chance(0.35);
            _ios.Add(io);
        }

        // Plan revocations: per fiscal year, distinct organizations registered long enough before.
        var revocations = new Dictionary<Io, bool>();
        for (var fy = SeedProfile.FirstFiscalYear; fy <= SeedProfile.LastFiscalYear; fy++)
        {
            for (var i = 0; i < _profile.PlanRevocations(fy); i++)
            {
                var on = DateIn(random, fy);
                for (var attempt = 0; attempt < 10_000; attempt++)
                {
                    var candidate = random.Pick(_ios);
                    if (candidate.RevokeOn is not null || candidate.RegisteredOn.AddDays(300) > on) continue;
                    candidate.RevokeOn = on;
                    revocations[candidate] = random.Chance(0.3);
                    break;
                }
            }
        }

        foreach (var io in _ios) BuildImplementingOrganization(random, io, revocations.GetValueOrDefault(io));

        // A planned revocation the rules refused (no plan was ever accredited) is made up on another organization in the same
        // fiscal year, after that organization's last event, so every year's figure holds.
        for (var fy = SeedProfile.FirstFiscalYear; fy <= SeedProfile.LastFiscalYear; fy++)
        {
            var (from, to) = SeedProfile.Within(fy);
            var missing = _profile.PlanRevocations(fy) - _ios.Count(o => o.RevokedOn is { } r && r >= from && r <= to);
            for (var attempt = 0; missing > 0 && attempt < 100_000; attempt++)
            {
                var candidate = random.Pick(_ios);
                if (candidate.RevokedOn is not null || candidate.State is not { } state || !state.Plans.Any(p => !p.Revoked)) continue;
                var on = random.Date(from, to);
                if (candidate.LastEventOn >= on || candidate.FirstPlanOn is not { } first || first.AddDays(60) > on) continue;
                if (Revoke(random, candidate, on, named: false)) missing--;
            }
        }
    }

    /// <summary>
    /// The official cumulative count of plans accredited (1,493,156 at 2023-03-31) counts one plan per trainee: the cohorts' sizes
    /// are scaled, after the fact, so the trainees of the plans accredited by then add up to it exactly (later plans by the same
    /// factor). Nothing else depends on a cohort's size; disappearance rates are read against it and stay plausible.
    /// </summary>
    private void CalibrateTrainees(SeedRandom random)
    {
        var target = _profile.TrainingPlansAccreditedAtFy2022End;
        var plans = new List<(List<(DateOnly Date, object Data)> Events, int Index, bool ByDate)>();
        long current = 0;
        foreach (var io in _ios)
            for (var i = 0; i < io.Events.Count; i++)
                if (io.Events[i].Data is TrainingPlanAccredited p)
                {
                    var byDate = p.AccreditedOn <= SeedProfile.PermittedAt;
                    plans.Add((io.Events, i, byDate));
                    if (byDate) current += p.Trainees;
                }
        if (current == 0 || target == 0) return;
        var factor = (double)target / current;
        long sum = 0;
        foreach (var (events, index, byDate) in plans)
        {
            var plan = (TrainingPlanAccredited)events[index].Data;
            var scaled = Math.Max(1, (int)Math.Round(plan.Trainees * factor, MidpointRounding.AwayFromZero));
            events[index] = (events[index].Date, plan with { Trainees = scaled });
            if (byDate) sum += scaled;
        }
        var counted = plans.Where(p => p.ByDate).ToList();
        if (target < counted.Count)
            throw new InvalidOperationException($"{counted.Count} plans accredited by 2023-03-31 cannot count {target} trainees at one or more each: the scale is too small.");
        while (sum != target)
        {
            var (events, index, _) = random.Pick(counted);
            var plan = (TrainingPlanAccredited)events[index].Data;
            var change = sum < target ? 1 : plan.Trainees > 1 ? -1 : 0;
            events[index] = (events[index].Date, plan with { Trainees = plan.Trainees + change });
            sum += change;
        }
    }

    private void BuildImplementingOrganization(SeedRandom random, Io io, bool namedRevocation)
    {
        var intents = new List<(DateOnly Date, object Intent)>();
        var horizon = io.RevokeOn is { } revokeOn && !namedRevocation ? revokeOn : SeedProfile.End;
        var stopOn = random.Chance(0.2) ? random.Date(io.RegisteredOn.AddDays(365), SeedProfile.End) : SeedProfile.End;
        var interval = random.Between(300, 760);
        var firstOn = io.RegisteredOn.AddDays(random.Between(0, 45));
        for (var k = 0; ; k++)
        {
            var accreditOn = firstOn.AddDays(k * interval + (k == 0 ? 0 : random.Between(0, 60)));
            if (accreditOn > SeedProfile.End || accreditOn >= horizon || accreditOn > stopOn) break;
            var trainees = 1 + (random.Chance(0.5) ? 0 : random.Between(1, random.Chance(0.8) ? 3 : 8));
            var no1 = new PlanIntent(PlanType.No1, accreditOn, accreditOn.AddDays(random.Between(14, 60)), trainees, null);
            intents.Add((no1.AccreditOn, no1));
            AddDisappearance(random, intents, no1, 0.05);
            if (!random.Chance(0.9)) continue;
            var no2From = no1.To.AddDays(1);
            var no2 = new PlanIntent(PlanType.No2, no2From.AddDays(-random.Between(15, 45)), no2From, Math.Max(1, trainees - (random.Chance(0.15) ? 1 : 0)), no1);
            intents.Add((no2.AccreditOn, no2));
            AddDisappearance(random, intents, no2, 0.04);
            if (!io.Excellent || !random.Chance(0.6)) continue;
            var no3From = no2.To.AddDays(random.Between(31, 60));
            var no3 = new PlanIntent(PlanType.No3, no3From.AddDays(-random.Between(10, 30)), no3From, Math.Max(1, no2.Trainees - (random.Chance(0.3) ? 1 : 0)), no2);
            intents.Add((no3.AccreditOn, no3));
            AddDisappearance(random, intents, no3, 0.01);
        }
        if (random.Chance(0.01))
        {
            var on = random.Date(io.RegisteredOn.AddDays(200), SeedProfile.End);
            intents.Add((on, new SuspendImplementingOrganizationAcceptance(new Period(on.AddDays(14), on.AddDays(14).AddMonths(random.Between(6, 12)).AddDays(-1)),
                "Trainee disappearances were not reported and training records were found falsified.")));
        }
        if (random.Chance(0.08)) intents.Add((random.Date(io.RegisteredOn.AddDays(180), SeedProfile.End), new VoluntaryChangeIntent()));
        if (io.RevokeOn is { } on2) intents.Add((on2, new RevocationIntent(namedRevocation)));
        intents.RemoveAll(i => i.Date > SeedProfile.End);
        // Stable order by date (a revocation after everything else on its day).
        var ordered = intents.Select((intent, index) => (intent.Date, Index: index, intent.Intent))
            .OrderBy(i => i.Date).ThenBy(i => i.Intent is RevocationIntent ? 1 : 0).ThenBy(i => i.Index).ToList();

        var supervisor = FindSupervisor(random, io.Prefecture, io.RegisteredOn, io.RegisteredOn.AddDays(60), general: false);
        if (supervisor is null) return;
        var register = new RegisterImplementingOrganization(io.Id, Domain.Common.CorporateNumber.Parse(io.CorporateNumber),
            SeedNames.ImplementingOrganization(random, io.Industry), io.Prefecture, SeedNames.Industries[io.Industry], supervisor.Id);
        Record(io, io.RegisteredOn, ImplementingOrganizationRules.Decide(io.State, io.Entity, supervisor.StateOn(io.RegisteredOn), io.RegisteredOn, register));

        foreach (var (date, _, intent) in ordered)
        {
            if (io.State!.FullyRevoked) break;
            try
            {
                switch (intent)
                {
                    case PlanIntent plan: Accredit(random, io, date, plan); break;
                    case DisappearanceIntent d when d.Plan.Number is not null:
                        Record(io, date, ImplementingOrganizationRules.Decide(io.State, new ReportTraineeDisappearance(d.Count, date, d.NamePlan ? d.Plan.Number : null)));
                        break;
                    case SuspendImplementingOrganizationAcceptance s: Record(io, date, ImplementingOrganizationRules.Decide(io.State, s)); break;
                    case VoluntaryChangeIntent: ChangeSupervisor(random, io, date, date); break;
                    case RevocationIntent r: Revoke(random, io, date, r.Named); break;
                    default: break;
                }
            }
            catch (RuleViolation)
            {
                // Refused by the rules: it did not happen.
            }
        }
    }

    private static void AddDisappearance(SeedRandom random, List<(DateOnly Date, object Intent)> intents, PlanIntent plan, double probability)
    {
        if (!random.Chance(probability)) return;
        var on = random.Date(plan.From.AddDays(30), plan.To);
        intents.Add((on, new DisappearanceIntent(plan, random.Weighted([80, 15, 5]) + 1, random.Chance(0.9))));
    }

    private static void Record(Io io, DateOnly date, IEnumerable<object> events)
    {
        foreach (var e in events)
        {
            io.State = ImplementingOrganization.Evolve(io.State, e);
            io.Events.Add((date, e));
        }
    }

    private void Accredit(SeedRandom random, Io io, DateOnly date, PlanIntent plan)
    {
        if (plan.Previous is { Number: null }) return;
        var state = io.State!;
        if (state.IsAcceptanceSuspendedOn(date) || io.Entity.Disqualifications.Any(d => d.From <= date && date < d.Until)) return;

        var so = _soById[state.SupervisingOrganizationId];
        if (!so.ActiveOn(date))
        {
            // The supervisor's permit ended: the organization moved to another one some days later.
            var movedOn = so.EndedOn!.Value.AddDays(random.Between(1, 30));
            if (movedOn > date) movedOn = date;
            if (movedOn < io.LastEventOn) movedOn = io.LastEventOn;
            if (!ChangeSupervisor(random, io, movedOn, date)) return;
            so = _soById[io.State!.SupervisingOrganizationId];
        }
        var supervisor = so.StateOn(date)!;
        if (supervisor.IsAcceptanceSuspendedOn(date) || !supervisor.MaySupervise(plan.Type)) return;

        // A cohort keeps its country and, where it may still be named, its sending organization from stage to stage.
        var country = plan.Previous?.Country ?? (random.Chance(0.85) ? io.Country : SendingCountries[random.Weighted(CountryWeights)].Code);
        // A sending organization is named only under a memorandum with its country in force that day.
        var sender = plan.Previous is { } previous && (previous.Sender?.MayBeNamedOn(date) ?? false) && MocInForce(country, date) ? previous.Sender : null;
        if (sender is null && MocInForce(country, date) && random.Chance(0.93))
        {
            var senders = _sendersByCountry[country];
            for (var attempt = 0; attempt < 8 && sender is null; attempt++)
            {
                var candidate = random.Pick(senders);
                if (candidate.MayBeNamedOn(date)) sender = candidate;
            }
        }
        var number = DocumentNumber(random, _planSerials, "認", date);
        var events = ImplementingOrganizationRules.Decide(io.State, io.Entity, supervisor, sender?.State, sender is null ? null : MocWith(sender.Country), date,
            new AccreditTrainingPlan(number, plan.Type, plan.Trainees, country, sender?.Id, new Period(plan.From, plan.To)));
        Record(io, date, events);
        plan.Number = number;
        plan.Country = country;
        plan.Sender = sender;
        io.FirstPlanOn ??= date;
        if (plan.To > io.LastPlanTo) io.LastPlanTo = plan.To;
    }

    /// <summary>Moves the organization to another active supervisor (General when a No.3 plan is running) effective on <paramref name="on"/>.</summary>
    private bool ChangeSupervisor(SeedRandom random, Io io, DateOnly on, DateOnly activeUntil)
    {
        var state = io.State!;
        var needsGeneral = state.Plans.Any(p => !p.Revoked && p.Type == PlanType.No3 && p.Term.To >= on);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var next = FindSupervisor(random, io.Prefecture, on, activeUntil, needsGeneral, state.SupervisingOrganizationId);
            if (next is null) return false;
            try
            {
                Record(io, on, ImplementingOrganizationRules.Decide(state, next.StateOn(on), new ChangeSupervisingOrganization(next.Id, on)));
                return true;
            }
            catch (RuleViolation)
            {
                // e.g. the organization found was downgraded meanwhile: look again.
            }
        }
        return false;
    }

    private bool Revoke(SeedRandom random, Io io, DateOnly on, bool named)
    {
        var state = io.State!;
        var standing = state.Plans.Where(p => !p.Revoked).ToList();
        if (standing.Count == 0) return false;
        var running = standing.Where(p => p.Term.To >= on).ToList();
        IReadOnlyList<string>? numbers = null;
        if (named && running.Count >= 2)
        {
            random.Shuffle(running);
            numbers = [.. running.Take(random.Between(1, running.Count - 1)).Select(p => p.Number)];
        }
        var (events, entity) = ImplementingOrganizationRules.Decide(state, new RevokePlanAccreditations(on, numbers,
            PlanRevocationBases[random.Weighted(PlanRevocationBasisWeights)], random.Pick(PlanRevocationReasons)));
        Record(io, on, events);
        io.Entity = io.Entity.Apply(entity);
        io.RevokedOn = on;
        Disqualify(entity);
        return true;
    }
}
