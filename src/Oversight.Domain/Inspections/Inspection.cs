using Oversight.Domain.Common;

namespace Oversight.Domain.Inspections;

public enum InspectionStatus
{
    Scheduled,
    InProgress,
    Completed,
    Cancelled,
}

public sealed record Finding(Guid Id, FindingCategory Category, Severity Severity, string? LegalBasis, int TraineesAffected, DateOnly ObservedOn,
    bool Retracted)
{
    public static readonly IReadOnlySet<FindingCategory> TraffickingIndicators = new HashSet<FindingCategory>
    {
        FindingCategory.IllegalOvertime, FindingCategory.UnpaidWages, FindingCategory.ConfiscatedPassportOrResidenceCard,
        FindingCategory.ViolenceOrThreats, FindingCategory.ForcedSavingsOrDeposits, FindingCategory.RestrictedMovement,
    };

    public bool IsTraffickingIndicator => TraffickingIndicators.Contains(Category);
}

/// <summary>An on-site inspection, folded from its stream <c>inspection-{id}</c>.</summary>
public sealed record Inspection(Guid Id, Guid OrganizationId, OrganizationType OrganizationType, InspectionKind Kind, DateOnly ScheduledOn,
    InspectionStatus Status, DateOnly? StartedOn, DateOnly? CompletedOn, IReadOnlyList<Finding> Findings)
{
    public static string StreamId(Guid id) => $"inspection-{id}";

    public static Inspection? Evolve(Inspection? state, object e) => (state, e) switch
    {
        (null, InspectionScheduled s) => new Inspection(s.InspectionId, s.OrganizationId, s.OrganizationType, s.Kind, s.ScheduledOn,
            InspectionStatus.Scheduled, null, null, []),
        (not null, InspectionStarted s) => state with { Status = InspectionStatus.InProgress, StartedOn = s.StartedOn },
        (not null, FindingRecorded f) => state with
        {
            Findings = [.. state.Findings, new Finding(f.FindingId, f.Category, f.Severity, f.LegalBasis, f.TraineesAffected, f.ObservedOn, false)],
        },
        (not null, FindingRetracted r) => state with { Findings = [.. state.Findings.Select(f => f.Id == r.FindingId ? f with { Retracted = true } : f)] },
        (not null, InspectionCompleted c) => state with { Status = InspectionStatus.Completed, CompletedOn = c.CompletedOn },
        (not null, InspectionCancelled) => state with { Status = InspectionStatus.Cancelled },
        _ => state,
    };
}

public sealed record ScheduleInspection(Guid InspectionId, Guid OrganizationId, OrganizationType OrganizationType, InspectionKind Kind,
    DateOnly ScheduledOn, string LeadInspector);

public sealed record StartInspection(DateOnly StartedOn);

public sealed record RecordFinding(Guid FindingId, FindingCategory Category, Severity Severity, string? LegalBasis, int TraineesAffected,
    DateOnly ObservedOn, string Narrative);

public sealed record RetractFinding(Guid FindingId, string Reason);

public sealed record CompleteInspection(DateOnly CompletedOn, InspectionOutcome Outcome);

public sealed record CancelInspection(DateOnly CancelledOn, string Reason);

/// <summary>Schedule → start → findings → complete. Findings only while in progress; a retraction is a new event with a reason.</summary>
public static class InspectionRules
{
    /// <summary>
    /// Schedules an inspection; <paramref name="organizationActive"/> says whether the target may be inspected as normal (not revoked,
    /// abolished or lapsed), <paramref name="organizationSince"/> when it began (permit start, registration), if known.
    /// </summary>
    public static object[] Decide(Inspection? state, bool organizationActive, DateOnly? organizationSince, ScheduleInspection c)
    {
        if (state is not null) throw new RuleViolation("already-scheduled", $"Inspection {c.InspectionId} already exists.");
        if (!organizationActive)
            throw new RuleViolation("organization-not-active", "The organization's permit or accreditations were revoked or its business abolished: no regular inspection can be scheduled.", "organizationId");
        if (organizationSince is { } since && c.ScheduledOn < since)
            throw new RuleViolation("before-registration", $"The organization exists from {since:yyyy-MM-dd}: it cannot be inspected on {c.ScheduledOn:yyyy-MM-dd}.", "scheduledOn");
        if (string.IsNullOrWhiteSpace(c.LeadInspector)) throw new InvalidValue("leadInspector", "A lead inspector is required.");
        return [new InspectionScheduled(c.InspectionId, c.OrganizationId, c.OrganizationType, c.Kind, c.ScheduledOn, c.LeadInspector.Trim())];
    }

    public static object[] Decide(Inspection? state, StartInspection c)
    {
        var inspection = Existing(state);
        if (inspection.Status != InspectionStatus.Scheduled)
            throw new RuleViolation("not-scheduled", $"The inspection is {inspection.Status.ToString().ToLowerInvariant()}; only a scheduled one can start.");
        if (c.StartedOn < inspection.ScheduledOn)
            throw new RuleViolation("started-before-scheduled", $"The inspection is scheduled for {inspection.ScheduledOn:yyyy-MM-dd}: reschedule it to start earlier.", "startedOn");
        return [new InspectionStarted(c.StartedOn)];
    }

    public static object[] Decide(Inspection? state, RecordFinding c)
    {
        var inspection = Existing(state);
        if (inspection.Status == InspectionStatus.Completed)
            throw new RuleViolation("inspection-completed", $"The inspection was completed on {inspection.CompletedOn:yyyy-MM-dd}: no findings can be added.");
        if (inspection.Status != InspectionStatus.InProgress)
            throw new RuleViolation("inspection-not-started", "Findings are recorded once the inspection has started.");
        if (c.ObservedOn < inspection.StartedOn)
            throw new RuleViolation("observed-before-start", "A finding cannot be observed before the inspection started.", "observedOn");
        if (c.TraineesAffected < 0) throw new InvalidValue("traineesAffected", "Trainees affected cannot be negative.");
        if (string.IsNullOrWhiteSpace(c.Narrative)) throw new InvalidValue("narrative", "A narrative is required.");
        if (inspection.Findings.Any(f => f.Id == c.FindingId))
            throw new RuleViolation("finding-exists", $"Finding {c.FindingId} is already recorded.", "findingId");
        return [new FindingRecorded(c.FindingId, c.Category, c.Severity, c.LegalBasis, c.TraineesAffected, c.ObservedOn, c.Narrative.Trim())];
    }

    public static object[] Decide(Inspection? state, RetractFinding c)
    {
        var inspection = Existing(state);
        var finding = inspection.Findings.FirstOrDefault(f => f.Id == c.FindingId)
            ?? throw new RuleViolation("finding-not-found", $"No finding {c.FindingId} in this inspection.", "findingId");
        if (finding.Retracted) throw new RuleViolation("finding-retracted", "The finding is already retracted.", "findingId");
        if (string.IsNullOrWhiteSpace(c.Reason)) throw new InvalidValue("reason", "A retraction needs a reason.");
        return [new FindingRetracted(c.FindingId, c.Reason.Trim())];
    }

    public static object[] Decide(Inspection? state, CompleteInspection c)
    {
        var inspection = Existing(state);
        if (inspection.Status != InspectionStatus.InProgress)
            throw new RuleViolation("inspection-not-started", $"The inspection is {inspection.Status.ToString().ToLowerInvariant()}; only one in progress can be completed.");
        if (c.CompletedOn < inspection.StartedOn)
            throw new RuleViolation("completed-before-start", "Completion cannot precede the start.", "completedOn");
        var open = inspection.Findings.Count(f => !f.Retracted);
        if (c.Outcome == InspectionOutcome.NoIssues && open > 0)
            throw new RuleViolation("outcome-contradicts-findings", $"The outcome is 'no issues' but {open} finding(s) stand.", "outcome");
        return [new InspectionCompleted(c.CompletedOn, c.Outcome)];
    }

    /// <summary>Only an inspection not yet done can be cancelled; its findings so far stay in the record.</summary>
    public static object[] Decide(Inspection? state, CancelInspection c)
    {
        var inspection = Existing(state);
        if (inspection.Status is not (InspectionStatus.Scheduled or InspectionStatus.InProgress))
            throw new RuleViolation("inspection-not-cancellable", $"The inspection is {inspection.Status.ToString().ToLowerInvariant()}; only a scheduled one or one in progress can be cancelled.");
        if (string.IsNullOrWhiteSpace(c.Reason)) throw new InvalidValue("reason", "A cancellation needs a reason.");
        if (inspection.StartedOn is { } started && c.CancelledOn < started)
            throw new RuleViolation("cancelled-before-start", $"The inspection started on {started:yyyy-MM-dd}.", "cancelledOn");
        return [new InspectionCancelled(c.CancelledOn, c.Reason.Trim())];
    }

    private static Inspection Existing(Inspection? state) => state ?? throw new RuleViolation("not-found", "No such inspection.");
}
