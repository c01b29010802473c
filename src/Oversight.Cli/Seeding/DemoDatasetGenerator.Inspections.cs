using System.Globalization;
using Oversight.Domain.Common;
using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.Inspections;

namespace Oversight.Cli.Seeding;

public sealed partial class DemoDatasetGenerator
{
    /// <summary>An organization as an inspection target: when it can be inspected, and when it stops being active.</summary>
    private sealed class Target(Guid id, OrganizationType type, DateOnly firstDay, DateOnly lastOperatingDay, DateOnly lastActiveDay, DateOnly? revokedOn)
    {
        public Guid Id { get; } = id;
        public OrganizationType Type { get; } = type;
        public DateOnly FirstDay { get; } = firstDay;
        public DateOnly LastOperatingDay { get; } = lastOperatingDay;
        public DateOnly LastActiveDay { get; } = lastActiveDay;
        public DateOnly? RevokedOn { get; } = revokedOn;
        public DateOnly LastCompleted { get; set; } = firstDay;

        /// <summary>The days of a fiscal year on which an inspection of the organization can be completed.</summary>
        public (DateOnly From, DateOnly To)? CompletionWindow(int fiscalYear)
        {
            var (from, to) = SeedProfile.Within(fiscalYear);
            from = SeedProfile.Max(from, FirstDay.AddDays(7));
            to = SeedProfile.Min(to, LastOperatingDay);
            return to.DayNumber - from.DayNumber >= 14 ? (from, to) : null;
        }
    }

    /// <summary>A planned visit; <c>OtitOrder</c>: for the calibrated joint inspections, whether OTIT issues a correction order after it (null: as the outcome draws).</summary>
    private sealed record InspectionVisit(Target Target, InspectionKind Kind, DateOnly CompletedOn, bool Sanction, bool? OtitOrder = null);

    private static readonly FindingCategory[] SoCategories =
    [
        FindingCategory.SupervisionDuties, FindingCategory.RecordKeeping, FindingCategory.PlanDeviation, FindingCategory.FalseReport,
        FindingCategory.Dormitory, FindingCategory.ObstructedInspection, FindingCategory.UnpaidWages, FindingCategory.ForcedSavingsOrDeposits,
        FindingCategory.ConfiscatedPassportOrResidenceCard,
    ];

    private static readonly double[] SoCategoryWeights = [40, 25, 12, 6, 5, 1, 6, 3, 2];

    private static readonly FindingCategory[] IoCategories =
    [
        FindingCategory.PlanDeviation, FindingCategory.RecordKeeping, FindingCategory.SafetyAndHealth, FindingCategory.IllegalOvertime,
        FindingCategory.UnpaidWages, FindingCategory.Dormitory, FindingCategory.FalseReport, FindingCategory.ObstructedInspection,
        FindingCategory.ConfiscatedPassportOrResidenceCard, FindingCategory.ViolenceOrThreats, FindingCategory.ForcedSavingsOrDeposits,
        FindingCategory.RestrictedMovement,
    ];

    private static readonly double[] IoCategoryWeights = [20, 18, 14, 14, 12, 8, 2, 1, 1.5, 1, 1, 0.8];

    private static readonly FindingCategory[] SanctionCategories =
    [
        FindingCategory.FalseReport, FindingCategory.UnpaidWages, FindingCategory.ConfiscatedPassportOrResidenceCard, FindingCategory.IllegalOvertime,
        FindingCategory.ViolenceOrThreats, FindingCategory.SupervisionDuties,
    ];

    private static string? FindingBasis(FindingCategory category) => category switch
    {
        FindingCategory.PlanDeviation => "Art.16(1)(i)",
        FindingCategory.FalseReport => "Art.16(1)(iv)",
        FindingCategory.ObstructedInspection => "Art.16(1)(v)",
        FindingCategory.SupervisionDuties => "Art.39(3)",
        FindingCategory.ViolenceOrThreats => "Art.46",
        FindingCategory.ForcedSavingsOrDeposits => "Art.47(2)",
        FindingCategory.ConfiscatedPassportOrResidenceCard => "Art.48(1)",
        FindingCategory.RestrictedMovement => "Art.48(2)",
        _ => null,
    };

    private void GenerateInspections(SeedRandom random)
    {
        var soTargets = _sos.Select(s => new Target(s.Id, OrganizationType.SupervisingOrganization, s.RegisteredOn, s.LastActiveDay, s.LastActiveDay,
            s.Ending == Ending.Revoked ? s.EndedOn : null)).ToList();
        var ioTargets = _ios.Where(o => o.FirstPlanOn is not null).Select(o => new Target(o.Id, OrganizationType.ImplementingOrganization,
            o.FirstPlanOn!.Value, o.LastOperatingDay, o.LastActiveDay, o.RevokedOn)).ToList();

        // Before each revocation: an inspection with serious findings, an improvement order not complied with, escalated.
        var visits = new List<InspectionVisit>();
        var forced = new Dictionary<(OrganizationType, int), int>();
        foreach (var target in soTargets.Concat(ioTargets))
        {
            if (target.RevokedOn is not { } revokedOn || target.FirstDay.AddDays(100) > revokedOn) continue;
            var completedOn = revokedOn.AddDays(-random.Between(60, Math.Min(300, revokedOn.DayNumber - target.FirstDay.DayNumber - 10)));
            if (completedOn > target.LastOperatingDay) continue;
            var key = (target.Type, FiscalYearOf(completedOn));
            var cap = target.Type == OrganizationType.SupervisingOrganization
                ? _profile.SupervisingOrganizationInspections(key.Item2) : _profile.ImplementingOrganizationInspections(key.Item2);
            if (forced.GetValueOrDefault(key) >= cap) continue;
            forced[key] = forced.GetValueOrDefault(key) + 1;
            visits.Add(new InspectionVisit(target, random.Chance(0.5) ? InspectionKind.Unannounced : InspectionKind.Regular, completedOn, Sanction: true));
        }

        for (var fy = SeedProfile.FirstFiscalYear; fy <= SeedProfile.LastFiscalYear; fy++)
        {
            var fiscalYear = fy;
            foreach (var visit in visits.Where(v => FiscalYearOf(v.CompletedOn) == fiscalYear)) visit.Target.LastCompleted = visit.CompletedOn;
            PlanVisits(random, soTargets, fy, _profile.SupervisingOrganizationInspections(fy) - forced.GetValueOrDefault((OrganizationType.SupervisingOrganization, fy)),
                jitterDays: 120, visits);
            PlanVisits(random, ioTargets, fy, _profile.ImplementingOrganizationInspections(fy) - forced.GetValueOrDefault((OrganizationType.ImplementingOrganization, fy)),
                jitterDays: 540, visits);
        }

        visits.Sort((a, b) => a.CompletedOn.CompareTo(b.CompletedOn));
        CalibrateJointInspections(random, visits);
        foreach (var visit in visits) BuildInspection(random, visit);

        // A few inspections were cancelled (before or after they started): they are not completed and count nowhere.
        var all = soTargets.Concat(ioTargets).ToList();
        var cancelled = Math.Max(0, (int)Math.Round(visits.Count * 0.008));
        for (var i = 0; i < cancelled; i++)
        {
            var target = random.Pick(all);
            var on = random.Date(target.FirstDay.AddDays(14), target.LastOperatingDay);
            if (on <= target.FirstDay.AddDays(14)) continue;
            BuildCancelledInspection(random, target, on);
        }
    }

    /// <summary>Picks <paramref name="count"/> completed inspections in the fiscal year: the longest uninspected first, then second visits.</summary>
    private static void PlanVisits(SeedRandom random, List<Target> targets, int fiscalYear, int count, int jitterDays, List<InspectionVisit> visits)
    {
        if (count <= 0) return;
        var candidates = new List<(Target Target, (DateOnly From, DateOnly To) Window, int Priority)>();
        foreach (var target in targets)
        {
            if (target.CompletionWindow(fiscalYear) is { } window)
                candidates.Add((target, window, target.LastCompleted.DayNumber + random.Int(0, jitterDays)));
        }
        // At tiny scales an early year may have no organization to inspect: its (unpublished) figure is then lower.
        if (candidates.Count == 0) return;
        candidates.Sort((a, b) => a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority) : a.Target.Id.CompareTo(b.Target.Id));
        for (var n = 0; n < count; n++)
        {
            var second = n >= candidates.Count;
            var (target, (from, to), _) = second ? random.Pick(candidates) : candidates[n];
            // On the first visit a window starting after the last one keeps visits a few months apart where the year allows it.
            var completedOn = random.Date(from, to);
            var kind = second || random.Chance(0.2) ? InspectionKind.Unannounced
                : target.Type == OrganizationType.ImplementingOrganization && random.Chance(0.003) ? InspectionKind.JointWithLabourOffice
                : InspectionKind.Regular;
            visits.Add(new InspectionVisit(target, kind, completedOn, Sanction: false));
            if (completedOn > target.LastCompleted) target.LastCompleted = completedOn;
        }
    }

    /// <summary>
    /// The joint inspections with Labour Standards Inspection Offices of calendar 2022 are a published figure (41), as are the
    /// correction orders OTIT issued in them (31): exactly that many implementing-organization visits of 2022 become joint,
    /// those with an order completed early enough for it to be issued within the year.
    /// </summary>
    private void CalibrateJointInspections(SeedRandom random, List<InspectionVisit> visits)
    {
        var (joint, withOrder) = (_profile.JointInspectionsIn2022, _profile.JointInspectionOtitOrdersIn2022);
        var yearEnd = new DateOnly(2022, 12, 31);
        var candidates = new List<int>();
        for (var i = 0; i < visits.Count; i++)
        {
            var v = visits[i];
            if (v.CompletedOn.Year != 2022 || v.Target.Type != OrganizationType.ImplementingOrganization) continue;
            if (v.Kind == InspectionKind.JointWithLabourOffice) visits[i] = v = v with { Kind = InspectionKind.Regular };
            if (!v.Sanction && v.Target.LastActiveDay >= yearEnd) candidates.Add(i);
        }
        random.Shuffle(candidates);
        // An OTIT order follows its inspection by 3–21 days: those visits end by 10 December.
        var early = candidates.Where(i => visits[i].CompletedOn <= new DateOnly(2022, 12, 10)).Take(withOrder).ToList();
        var rest = candidates.Except(early).Take(joint - early.Count).ToList();
        if (early.Count < withOrder || early.Count + rest.Count < joint)
            throw new InvalidOperationException($"Too few implementing-organization visits in 2022 for {joint} joint inspections.");
        foreach (var i in early) visits[i] = visits[i] with { Kind = InspectionKind.JointWithLabourOffice, OtitOrder = true };
        foreach (var i in rest) visits[i] = visits[i] with { Kind = InspectionKind.JointWithLabourOffice, OtitOrder = false };
    }

    private void BuildInspection(SeedRandom random, InspectionVisit visit)
    {
        var (target, kind, completedOn, sanction, otitOrder) = visit;
        var startedOn = completedOn.AddDays(-(random.Chance(0.7) ? 0 : random.Between(1, 2)));
        if (startedOn <= target.FirstDay) startedOn = completedOn;
        var scheduledAt = kind == InspectionKind.Unannounced ? startedOn : startedOn.AddDays(-random.Between(7, 30));
        if (scheduledAt < target.FirstDay) scheduledAt = target.FirstDay;

        var id = random.Uuid7(scheduledAt);
        var events = new List<(DateOnly Date, object Data)>();
        Inspection? state = null;
        void Apply(DateOnly date, object[] decided)
        {
            foreach (var e in decided)
            {
                state = Inspection.Evolve(state, e);
                events.Add((date, e));
            }
        }

        Apply(scheduledAt, InspectionRules.Decide(state, true, null, new ScheduleInspection(id, target.Id, target.Type, kind, startedOn,
            string.Create(CultureInfo.InvariantCulture, $"inspector-{random.Between(1, 640):0000}"))));
        Apply(startedOn, InspectionRules.Decide(state, new StartInspection(startedOn)));

        var so = target.Type == OrganizationType.SupervisingOrganization;
        var findings = sanction ? random.Between(2, 3)
            : random.Chance(so ? 0.52 : 0.39) || otitOrder == true ? 1 + (random.Chance(0.45) ? 1 + (random.Chance(0.35) ? 1 : 0) : 0) : 0;
        var observed = new DateOnly[findings];
        for (var f = 0; f < findings; f++) observed[f] = random.Date(startedOn, completedOn);
        Array.Sort(observed);
        for (var f = 0; f < findings; f++)
        {
            var category = sanction && f == 0 ? random.Pick(SanctionCategories)
                : so ? SoCategories[random.Weighted(SoCategoryWeights)] : IoCategories[random.Weighted(IoCategoryWeights)];
            var trafficking = Finding.TraffickingIndicators.Contains(category);
            var severity = sanction && f == 0 ? Severity.Critical
                : trafficking ? (Severity)(1 + random.Weighted([20, 70, 10])) : (Severity)random.Weighted([45, 45, 10]);
            var affected = so ? (trafficking ? random.Between(1, 6) : 0) : (trafficking ? random.Between(1, 5) : random.Between(0, 3));
            var observedOn = observed[f];
            Apply(observedOn, InspectionRules.Decide(state, new RecordFinding(random.Uuid7(observedOn), category, severity, FindingBasis(category), affected,
                observedOn, SeedNames.FindingNarrative(category, random))));
        }
        if (findings >= 2 && !sanction && random.Chance(0.03))
            Apply(completedOn, InspectionRules.Decide(state, new RetractFinding(state!.Findings[^1].Id,
                "Recorded twice: the same facts are in another finding of this inspection.")));

        var standing = state!.Findings.Where(f => !f.Retracted).ToList();
        var outcome = standing.Count == 0 ? InspectionOutcome.NoIssues
            : sanction || (otitOrder is null && standing.Any(f => f.Severity == Severity.Critical) && random.Chance(0.2)) ? InspectionOutcome.ReferredForSanction
            : standing.Any(f => f.Severity >= Severity.High) || random.Chance(0.4) ? InspectionOutcome.ImprovementRecommendation
            : InspectionOutcome.GuidanceLetter;
        Apply(completedOn, InspectionRules.Decide(state, new CompleteInspection(completedOn, outcome)));
        _inspections.Add((Inspection.StreamId(id), events));

        if (standing.Count > 0) BuildCorrectionOrders(random, target, state, outcome, sanction, otitOrder);
    }

    private void BuildCancelledInspection(SeedRandom random, Target target, DateOnly on)
    {
        var scheduledAt = on.AddDays(-random.Between(7, 30));
        if (scheduledAt < target.FirstDay) scheduledAt = target.FirstDay;
        var id = random.Uuid7(scheduledAt);
        var events = new List<(DateOnly Date, object Data)>();
        Inspection? state = null;
        void Apply(DateOnly date, object[] decided)
        {
            foreach (var e in decided)
            {
                state = Inspection.Evolve(state, e);
                events.Add((date, e));
            }
        }
        Apply(scheduledAt, InspectionRules.Decide(state, true, null, new ScheduleInspection(id, target.Id, target.Type, InspectionKind.Regular, on,
            string.Create(CultureInfo.InvariantCulture, $"inspector-{random.Between(1, 640):0000}"))));
        if (random.Chance(0.3))
        {
            Apply(on, InspectionRules.Decide(state, new StartInspection(on)));
            Apply(on, InspectionRules.Decide(state, new CancelInspection(on, "Suspended on site and superseded by a joint inspection with the Labour Standards Inspection Office.")));
        }
        else
        {
            var cancelledOn = random.Date(scheduledAt, on);
            Apply(cancelledOn, InspectionRules.Decide(state, new CancelInspection(cancelledOn, "Rescheduled: the business premises were closed on the planned day.")));
        }
        _inspections.Add((Inspection.StreamId(id), events));
    }

    private void BuildCorrectionOrders(SeedRandom random, Target target, Inspection inspection, InspectionOutcome outcome, bool sanction, bool? otitOrder)
    {
        var standing = inspection.Findings.Where(f => !f.Retracted).Select(f => f.Id).ToList();
        var completedOn = inspection.CompletedOn!.Value;
        var so = target.Type == OrganizationType.SupervisingOrganization;
        if (sanction)
        {
            var revokedOn = target.RevokedOn!.Value;
            var issuedOn = completedOn.AddDays(random.Between(5, 10));
            var dueOn = issuedOn.AddDays(30);
            var commands = new List<(DateOnly, object)>();
            if (random.Chance(0.4))
            {
                var reportedOn = issuedOn.AddDays(random.Between(10, 20));
                commands.Add((reportedOn, new ReportCorrection(reportedOn, random.Pick(SeedNames.CorrectionSummaries))));
                commands.Add((reportedOn.AddDays(5), new RejectCorrection(reportedOn.AddDays(5), "The report does not show that the violations were corrected.")));
            }
            commands.Add((dueOn.AddDays(1), new MarkOverdue(dueOn.AddDays(1))));
            var escalatedOn = random.Date(dueOn.AddDays(2), revokedOn.AddDays(-1));
            commands.Add((escalatedOn, new EscalateCorrectionOrder(escalatedOn, so ? "PermitRevocation" : "PlanRevocation",
                "The improvement order was not complied with by its due date.")));
            IssueOrder(random, target, inspection, CorrectionIssuer.Ministers, CorrectionOrderKind.ImprovementOrder, issuedOn, dueOn, standing,
                new LegalBasis(so ? 36 : 15, null, null), "Serious violations found on site were not corrected.", commands, target.LastActiveDay);
            return;
        }

        var (issuer, kind, probability) = outcome switch
        {
            InspectionOutcome.GuidanceLetter => (CorrectionIssuer.Otit, CorrectionOrderKind.Guidance, 0.75),
            InspectionOutcome.ImprovementRecommendation => (CorrectionIssuer.Otit, CorrectionOrderKind.ImprovementRecommendation, 0.9),
            _ => random.Chance(0.5) ? (CorrectionIssuer.Ministers, CorrectionOrderKind.ImprovementOrder, 1.0)
                : (CorrectionIssuer.Otit, CorrectionOrderKind.ImprovementRecommendation, 1.0),
        };
        if (otitOrder is { } forced ? forced : random.Chance(probability)) PlanOrder(random, target, inspection, issuer, kind, standing, completedOn);
        if (inspection.Kind == InspectionKind.JointWithLabourOffice && random.Chance(0.7))
            PlanOrder(random, target, inspection, CorrectionIssuer.LabourStandardsOffice, CorrectionOrderKind.LabourStandardsCorrection, standing, completedOn);
    }

    private void PlanOrder(SeedRandom random, Target target, Inspection inspection, CorrectionIssuer issuer, CorrectionOrderKind kind, List<Guid> findings,
        DateOnly completedOn)
    {
        var order = kind == CorrectionOrderKind.ImprovementOrder;
        var issuedOn = completedOn.AddDays(order ? random.Between(20, 60) : random.Between(3, 21));
        var dueOn = issuedOn.AddDays(kind switch
        {
            CorrectionOrderKind.LabourStandardsCorrection => random.Between(14, 45),
            CorrectionOrderKind.ImprovementOrder => random.Between(30, 90),
            _ => random.Between(30, 60),
        });
        var commands = new List<(DateOnly, object)>();
        // Most organizations report in time and the issuer verifies before the due date; some report late, a few never.
        var span = dueOn.DayNumber - issuedOn.DayNumber;
        var timing = random.Weighted([86, 9, 5]);
        var reported = timing < 2;
        if (reported)
        {
            var reportedOn = timing == 0 ? issuedOn.AddDays(random.Between(7, span * 2 / 3)) : dueOn.AddDays(random.Between(3, 40));
            commands.Add((reportedOn, new ReportCorrection(reportedOn, random.Pick(SeedNames.CorrectionSummaries))));
            var checkedOn = timing == 0 ? random.Date(reportedOn.AddDays(2), SeedProfile.Max(reportedOn.AddDays(2), dueOn)) : reportedOn.AddDays(random.Between(5, 30));
            if (random.Chance(0.1))
            {
                commands.Add((checkedOn, new RejectCorrection(checkedOn, "The report does not show that the violations were corrected.")));
                var again = checkedOn.AddDays(random.Between(10, 40));
                if (random.Chance(0.85))
                {
                    commands.Add((again, new ReportCorrection(again, random.Pick(SeedNames.CorrectionSummaries))));
                    var verifiedOn = again.AddDays(random.Between(5, 30));
                    commands.Add((verifiedOn, new VerifyCorrection(verifiedOn)));
                }
            }
            else if (random.Chance(0.97))
            {
                commands.Add((checkedOn, new VerifyCorrection(checkedOn)));
            }
        }
        commands.Add((dueOn.AddDays(1), new MarkOverdue(dueOn.AddDays(1))));
        if (!reported && kind != CorrectionOrderKind.LabourStandardsCorrection && random.Chance(0.5))
        {
            var escalatedOn = dueOn.AddDays(random.Between(14, 60));
            commands.Add((escalatedOn, new EscalateCorrectionOrder(escalatedOn, order ? (target.Type == OrganizationType.SupervisingOrganization
                ? "BusinessSuspension" : "PlanRevocation") : "ImprovementOrder", "No improvement report was received by the due date.")));
        }
        var basis = order ? new LegalBasis(target.Type == OrganizationType.SupervisingOrganization ? 36 : 15, null, null) : null;
        IssueOrder(random, target, inspection, issuer, kind, issuedOn, dueOn, findings, basis,
            order ? "Violations found on site: the organization is ordered to correct them." : null, commands, target.LastActiveDay);
    }

    private void IssueOrder(SeedRandom random, Target target, Inspection inspection, CorrectionIssuer issuer, CorrectionOrderKind kind, DateOnly issuedOn,
        DateOnly dueOn, List<Guid> findings, LegalBasis? basis, string? reason, List<(DateOnly Date, object Command)> commands, DateOnly lastActiveDay)
    {
        if (issuedOn > lastActiveDay || issuedOn > SeedProfile.End) return;
        var id = random.Uuid7(issuedOn);
        var events = new List<(DateOnly Date, object Data)>();
        CorrectionOrder? state = null;
        void Apply(DateOnly date, object[] decided)
        {
            foreach (var e in decided)
            {
                state = CorrectionOrder.Evolve(state, e);
                events.Add((date, e));
            }
        }
        Apply(issuedOn, CorrectionOrderRules.Decide(state, true, null, inspection, new IssueCorrectionOrder(id, target.Id, target.Type, inspection.Id, issuer, kind,
            issuedOn, dueOn, findings, basis, reason)));
        foreach (var (date, command) in commands.OrderBy(c => c.Date))
        {
            // Nothing after the end of the history, and nothing once the organization's permit or accreditations are gone.
            if (date > SeedProfile.End || date > lastActiveDay) continue;
            try
            {
                Apply(date, command switch
                {
                    ReportCorrection c => CorrectionOrderRules.Decide(state, c),
                    VerifyCorrection c => CorrectionOrderRules.Decide(state, c),
                    RejectCorrection c => CorrectionOrderRules.Decide(state, c),
                    MarkOverdue c => CorrectionOrderRules.Decide(state, c),
                    EscalateCorrectionOrder c => CorrectionOrderRules.Decide(state, c),
                    _ => throw new InvalidOperationException($"Unexpected command {command.GetType()}."),
                });
            }
            catch (RuleViolation)
            {
                // e.g. a report after the order was escalated: refused, so it did not happen.
            }
        }
        _orders.Add((CorrectionOrder.StreamId(id), events));
    }
}
