using Oversight.Domain.Inspections;
using static Oversight.Domain.Tests.Spec;

namespace Oversight.Domain.Tests;

public sealed class InspectionDeadlineRuleTests
{
    private const OrganizationType So = OrganizationType.SupervisingOrganization;
    private const OrganizationType Io = OrganizationType.ImplementingOrganization;

    [Fact]
    public void Supervising_organizations_are_due_yearly_and_implementing_organizations_every_three_years()
    {
        Assert.Equal(D("2023-04-01"), InspectionDeadlines.DueOn(So, D("2022-04-01"), null));
        Assert.Equal(D("2026-06-01"), InspectionDeadlines.DueOn(Io, D("2020-01-15"), D("2023-06-01")));
    }

    [Fact]
    public void An_organization_not_inspected_past_its_due_date_is_overdue_once_per_due_date()
    {
        Then(InspectionDeadlines.Decide(So, true, D("2022-04-01"), null, null, D("2023-04-02")),
            new InspectionOverdue(So, D("2023-04-01"), null, D("2023-04-02")));
        Then(InspectionDeadlines.Decide(So, true, D("2022-04-01"), null, D("2023-04-01"), D("2023-05-01")));
    }

    [Fact]
    public void Not_overdue_on_the_due_date_itself_after_an_inspection_or_once_the_organization_has_ended()
    {
        Then(InspectionDeadlines.Decide(Io, true, D("2020-01-15"), null, null, D("2023-01-15")));
        Then(InspectionDeadlines.Decide(Io, true, D("2020-01-15"), D("2022-12-01"), null, D("2023-02-01")));
        Then(InspectionDeadlines.Decide(So, false, D("2020-01-15"), null, null, D("2023-02-01")));
    }
}
