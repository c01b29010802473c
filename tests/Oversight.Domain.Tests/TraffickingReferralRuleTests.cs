using Oversight.Domain.Inspections;
using Oversight.Domain.Referrals;
using static Oversight.Domain.Tests.Spec;

namespace Oversight.Domain.Tests;

public sealed class TraffickingReferralRuleTests
{
    private static readonly Guid Id = Guid.Parse("0190a000-0000-7000-8000-0000000000a1");
    private static readonly Guid Org = Guid.Parse("0190a000-0000-7000-8000-0000000000b1");
    private static readonly Guid F1 = Guid.Parse("0190a000-0000-7000-8000-0000000000f1");
    private static readonly Inspection Inspection = Spec.Given<Inspection>(Inspection.Evolve,
        new InspectionScheduled(Id, Org, OrganizationType.ImplementingOrganization, InspectionKind.Regular, D("2023-06-01"), "inspector-7"))!;

    private static FindingRecorded Finding(FindingCategory category) => new(F1, category, Severity.High, null, 2, D("2023-06-01"), "n");

    [Theory]
    [InlineData(FindingCategory.ConfiscatedPassportOrResidenceCard, "Immigration Services Agency")]
    [InlineData(FindingCategory.ViolenceOrThreats, "Prefectural Police")]
    [InlineData(FindingCategory.RestrictedMovement, "Prefectural Police")]
    [InlineData(FindingCategory.UnpaidWages, "Labour Standards Inspection Office")]
    public void A_trafficking_indicator_is_referred_to_the_authority_that_investigates_it(FindingCategory category, string authority) =>
        Then(TraffickingReferrals.Decide(false, Inspection, Finding(category), D("2023-06-02")),
            new TraffickingSuspicionReferred(F1, Id, Org, category, authority, D("2023-06-02")));

    [Fact]
    public void Other_findings_and_findings_already_referred_are_not_referred()
    {
        Then(TraffickingReferrals.Decide(false, Inspection, Finding(FindingCategory.RecordKeeping), D("2023-06-02")));
        Then(TraffickingReferrals.Decide(true, Inspection, Finding(FindingCategory.UnpaidWages), D("2023-06-02")));
    }
}
