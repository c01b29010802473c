namespace Oversight.Domain.Inspections;

/// <summary>
/// An organization went past its inspection interval without an inspection: appended to the organization's own
/// stream by the scheduled deadline check, so the risk flag it raises names a recorded fact.
/// </summary>
public sealed record InspectionOverdue(OrganizationType OrganizationType, DateOnly DueOn, DateOnly? LastInspectedOn, DateOnly DetectedOn);

/// <summary>Inspection intervals (design §5): supervising organizations yearly, implementing organizations every three years.</summary>
public static class InspectionDeadlines
{
    public static int IntervalMonths(OrganizationType type) => type == OrganizationType.SupervisingOrganization ? 12 : 36;

    /// <summary>When the next inspection is due: the interval after the last completed inspection, or after registration.</summary>
    public static DateOnly DueOn(OrganizationType type, DateOnly registeredOn, DateOnly? lastInspectedOn) =>
        (lastInspectedOn ?? registeredOn).AddMonths(IntervalMonths(type));

    /// <summary>
    /// The check run on (or after) a due date: an active organization not inspected since is overdue, once per due date.
    /// <paramref name="flaggedDueOn"/> is the due date of the last <see cref="InspectionOverdue"/> already recorded, if any.
    /// </summary>
    public static object[] Decide(OrganizationType type, bool organizationActive, DateOnly registeredOn, DateOnly? lastInspectedOn,
        DateOnly? flaggedDueOn, DateOnly today)
    {
        if (!organizationActive) return [];
        var due = DueOn(type, registeredOn, lastInspectedOn);
        if (today <= due || flaggedDueOn == due) return [];
        return [new InspectionOverdue(type, due, lastInspectedOn, today)];
    }
}
