using Oversight.Domain.Common;
using Oversight.Domain.Inspections;

namespace Oversight.Domain.Referrals;

/// <summary>
/// A finding that indicates an offence against trainees (Arts.46–48, unpaid wages, illegal overtime) is referred to
/// the authority that investigates it, once per finding. Stream: <c>referral-{findingId}</c>.
/// </summary>
public sealed record TraffickingSuspicionReferred(Guid FindingId, Guid InspectionId, Guid OrganizationId, FindingCategory Category,
    string ReferredTo, DateOnly ReferredOn);

public static class TraffickingReferrals
{
    public static string StreamId(Guid findingId) => $"referral-{findingId}";

    /// <summary>Who investigates each indicator: immigration for documents, police for violence and confinement, labour inspection for pay and hours.</summary>
    public static string AuthorityFor(FindingCategory category) => category switch
    {
        FindingCategory.ConfiscatedPassportOrResidenceCard => "Immigration Services Agency",
        FindingCategory.ViolenceOrThreats or FindingCategory.RestrictedMovement => "Prefectural Police",
        FindingCategory.UnpaidWages or FindingCategory.IllegalOvertime or FindingCategory.ForcedSavingsOrDeposits => "Labour Standards Inspection Office",
        _ => throw new RuleViolation("not-a-trafficking-indicator", $"{category} is not a trafficking indicator: nothing to refer."),
    };

    /// <summary>Refers a recorded trafficking-indicator finding; nothing for other findings or when it was already referred.</summary>
    public static object[] Decide(bool alreadyReferred, Inspection inspection, FindingRecorded finding, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Decide(alreadyReferred, inspection, finding.FindingId, finding.Category, today);
    }

    /// <summary>The same, from the finding's id and category alone (what the follow-up message carries: no narrative).</summary>
    public static object[] Decide(bool alreadyReferred, Inspection inspection, Guid findingId, FindingCategory category, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        if (alreadyReferred || !Finding.TraffickingIndicators.Contains(category)) return [];
        return [new TraffickingSuspicionReferred(findingId, inspection.Id, inspection.OrganizationId, category, AuthorityFor(category), today)];
    }
}
