using System.Text.RegularExpressions;
using Oversight.Cli.Seeding;
using Oversight.Domain.Common;
using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Inspections;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;

namespace Oversight.Cli.Tests.Seeding;

/// <summary>Every generated stream folds with its aggregate, and spot checks of the rules that span streams hold.</summary>
public sealed partial class DomainAcceptanceTests(SmallDataset small) : IClassFixture<SmallDataset>
{
    private IEnumerable<SeedStream> Streams(string kind) => small.Dataset.Streams.Where(s => s.StreamId.StartsWith(kind + "-", StringComparison.Ordinal));

    private static readonly Dictionary<string, Type[]> AllowedTypes = new()
    {
        ["so"] = [typeof(SupervisingOrganizationRegistered), typeof(PermitRenewed), typeof(PermitCategoryChanged), typeof(BusinessSuspended),
            typeof(AcceptanceSuspended), typeof(RevocationHearingNoticed), typeof(PermitRevoked), typeof(BusinessAbolished)],
        ["io"] = [typeof(ImplementingOrganizationRegistered), typeof(TrainingPlanAccredited), typeof(SupervisingOrganizationChanged),
            typeof(TraineeDisappearanceReported), typeof(ImplementingOrganizationAcceptanceSuspended), typeof(PlanAccreditationRevoked)],
        ["inspection"] = [typeof(InspectionScheduled), typeof(InspectionStarted), typeof(FindingRecorded), typeof(FindingRetracted),
            typeof(InspectionCompleted), typeof(InspectionCancelled)],
        ["correction-order"] = [typeof(CorrectionOrderIssued), typeof(CorrectionReported), typeof(CorrectionVerified), typeof(CorrectionRejected),
            typeof(CorrectionOrderOverdue), typeof(CorrectionOrderEscalated)],
        ["sending-organization"] = [typeof(SendingOrganizationRegistered), typeof(SendingOrganizationReportedUnderMoc), typeof(SendingCountryResponded),
            typeof(SendingOrganizationAcceptanceSuspended)],
        ["entity"] = [typeof(EntityDisqualified)],
    };

    [Fact]
    public void Every_stream_folds_with_its_aggregate_in_business_date_order()
    {
        var kinds = 0;
        foreach (var (kind, types) in AllowedTypes)
        {
            foreach (var stream in Streams(kind))
            {
                kinds++;
                object? state = null;
                var previous = DateOnly.MinValue;
                foreach (var e in stream.Events)
                {
                    Assert.Contains(e.Data.GetType(), types);
                    Assert.True(e.OccurredOn >= previous, $"{stream.StreamId}: {e.Data.GetType().Name} on {e.OccurredOn} after {previous}.");
                    previous = e.OccurredOn;
                    state = kind switch
                    {
                        "so" => SupervisingOrganization.Evolve((SupervisingOrganization?)state, e.Data),
                        "io" => ImplementingOrganization.Evolve((ImplementingOrganization?)state, e.Data),
                        "inspection" => Inspection.Evolve((Inspection?)state, e.Data),
                        "correction-order" => CorrectionOrder.Evolve((CorrectionOrder?)state, e.Data),
                        "sending-organization" => SendingOrganization.Evolve((SendingOrganization?)state, e.Data),
                        _ => ((LegalEntity?)state ?? LegalEntity.None).Apply(e.Data),
                    };
                    Assert.NotNull(state);
                }
            }
        }
        Assert.Equal(small.Dataset.Streams.Count, kinds);
    }

    [Fact]
    public void Inspections_follow_schedule_start_findings_complete_and_nothing_after()
    {
        var completed = 0;
        foreach (var stream in Streams("inspection"))
        {
            var events = stream.Events.Select(e => e.Data).ToList();
            Assert.IsType<InspectionScheduled>(events[0]);
            Assert.Matches(InspectorPattern(), ((InspectionScheduled)events[0]).LeadInspector);
            Inspection? state = null;
            foreach (var e in events)
            {
                if (state is { Status: InspectionStatus.Completed or InspectionStatus.Cancelled })
                    Assert.Fail($"{stream.StreamId}: {e.GetType().Name} after the inspection was {state.Status}.");
                if (e is FindingRecorded f)
                {
                    Assert.Equal(InspectionStatus.InProgress, state!.Status);
                    Assert.True(f.ObservedOn >= state.StartedOn);
                }
                if (e is InspectionCompleted c)
                {
                    completed++;
                    Assert.Equal(state!.Findings.All(x => x.Retracted), c.Outcome == InspectionOutcome.NoIssues);
                }
                state = Inspection.Evolve(state, e);
            }
        }
        Assert.True(completed > 0);
        Assert.Contains(Streams("inspection").SelectMany(s => s.Events).Select(e => e.Data).OfType<FindingRecorded>(),
            f => Finding.TraffickingIndicators.Contains(f.Category));
        Assert.Contains(Streams("inspection").SelectMany(s => s.Events), e => e.Data is InspectionCancelled);
    }

    [Fact]
    public void Supervising_organizations_keep_their_permit_running_and_nothing_follows_a_revocation_or_abolition()
    {
        foreach (var stream in Streams("so"))
        {
            SupervisingOrganization? state = null;
            foreach (var e in stream.Events)
            {
                Assert.False(state is { IsActive: false }, $"{stream.StreamId}: {e.Data.GetType().Name} after the permit ended.");
                if (e.Data is PermitRenewed r) Assert.Equal(state!.Permit.To.AddDays(1), r.From);
                state = SupervisingOrganization.Evolve(state, e.Data);
            }
            Assert.True(DocumentNumbers.Permit(state!.PermitNumber) is not null);
            Assert.True(CorporateNumber.TryParse(state.CorporateNumber, out _));
            Assert.Matches("^(0[1-9]|[1-3][0-9]|4[0-7])$", state.Prefecture);
            // The permit covers every day until the end of the history, or until it ended.
            var lastDay = state.EndedOn?.AddDays(-1) ?? SeedProfile.End;
            Assert.True(state.Permit.To >= lastDay, $"{stream.StreamId}: permit ends {state.Permit.To} before {lastDay}.");
        }
    }

    [Fact]
    public void Plans_are_accredited_only_where_the_rules_allow_them()
    {
        var sos = Streams("so").ToDictionary(s => Guid.Parse(s.StreamId[3..]), s => s.Events);
        var senders = Streams("sending-organization").ToDictionary(s => Guid.Parse(s.StreamId["sending-organization-".Length..]),
            s => s.Events.Aggregate((SendingOrganization?)null, (state, e) => SendingOrganization.Evolve(state, e.Data))!);
        SupervisingOrganization SupervisorOn(Guid id, DateOnly date) =>
            sos[id].TakeWhile(e => e.OccurredOn <= date).Aggregate((SupervisingOrganization?)null, (s, e) => SupervisingOrganization.Evolve(s, e.Data))!;

        var plans = 0;
        var no3 = 0;
        foreach (var stream in Streams("io"))
        {
            ImplementingOrganization? state = null;
            foreach (var e in stream.Events)
            {
                Assert.False(state is { FullyRevoked: true }, $"{stream.StreamId}: {e.Data.GetType().Name} after every plan was revoked.");
                if (e.Data is TrainingPlanAccredited p)
                {
                    plans++;
                    var supervisor = SupervisorOn(state!.SupervisingOrganizationId, e.OccurredOn);
                    Assert.True(supervisor.IsActive && !supervisor.IsAcceptanceSuspendedOn(e.OccurredOn));
                    if (p.Type == PlanType.No3)
                    {
                        no3++;
                        Assert.Equal(PermitCategory.General, supervisor.Category);
                    }
                    Assert.True(new Period(p.From, p.To).LastsAtMost(p.Type == PlanType.No1 ? 1 : 2));
                    Assert.True(p.From >= e.OccurredOn);
                    Assert.NotNull(DocumentNumbers.Plan(p.PlanNumber));
                    if (p.SendingOrganizationId is { } senderId)
                    {
                        Assert.Equal(senders[senderId].Country, p.SendingCountry);
                        Assert.False(senders[senderId].IsAcceptanceSuspendedOn(e.OccurredOn));
                    }
                }
                if (e.Data is SupervisingOrganizationChanged c) Assert.True(SupervisorOn(c.To, e.OccurredOn).IsActive);
                state = ImplementingOrganization.Evolve(state, e.Data);
            }
            Assert.True(CorporateNumber.TryParse(state!.CorporateNumber, out _));
        }
        Assert.True(plans > 0 && no3 > 0);
    }

    [Fact]
    public void Revocations_disqualify_the_entity_and_nothing_targets_an_ended_organization()
    {
        var entities = Streams("entity").SelectMany(s => s.Events).Select(e => (EntityDisqualified)e.Data).ToLookup(d => d.CorporateNumber);
        var ends = new Dictionary<Guid, DateOnly>();
        foreach (var stream in Streams("so").Concat(Streams("io")))
        {
            var corporateNumber = stream.Events[0].Data switch
            {
                SupervisingOrganizationRegistered r => r.CorporateNumber,
                ImplementingOrganizationRegistered r => r.CorporateNumber,
                _ => throw new InvalidOperationException(),
            };
            foreach (var e in stream.Events)
            {
                var revokedOn = e.Data switch
                {
                    PermitRevoked r => r.EffectiveOn,
                    PlanAccreditationRevoked r => r.EffectiveOn,
                    _ => (DateOnly?)null,
                };
                if (revokedOn is { } on)
                {
                    Assert.Equal(on, e.OccurredOn);
                    Assert.Contains(entities[corporateNumber], d => d.From == on && d.Until == on.AddYears(5));
                }
                if (e.Data is PermitRevoked or BusinessAbolished || (e.Data is PlanAccreditationRevoked { All: true }))
                    ends[Guid.Parse(stream.StreamId[(stream.StreamId.IndexOf('-', StringComparison.Ordinal) + 1)..])] = e.OccurredOn;
            }
        }
        Assert.NotEmpty(ends);
        foreach (var stream in Streams("inspection"))
        {
            var scheduled = (InspectionScheduled)stream.Events[0].Data;
            if (ends.TryGetValue(scheduled.OrganizationId, out var end)) Assert.True(stream.Events[^1].OccurredOn < end, $"{stream.StreamId} after the end {end}.");
        }
        foreach (var stream in Streams("correction-order"))
        {
            var issued = (CorrectionOrderIssued)stream.Events[0].Data;
            if (ends.TryGetValue(issued.OrganizationId, out var end)) Assert.True(stream.Events[^1].OccurredOn < end);
        }
    }

    [Fact]
    public void Numbers_are_well_formed_and_unique_and_all_claimed()
    {
        var permits = Streams("so").Select(s => ((SupervisingOrganizationRegistered)s.Events[0].Data).PermitNumber).ToList();
        var plans = Streams("io").SelectMany(s => s.Events).Select(e => e.Data).OfType<TrainingPlanAccredited>().Select(p => p.PlanNumber).ToList();
        Assert.Equal(permits.Count, permits.Distinct().Count());
        Assert.Equal(plans.Count, plans.Distinct().Count());
        Assert.Equal(permits.Order(StringComparer.Ordinal),
            small.Dataset.UniqueNumbers.Where(c => c.Kind == "Permit number").Select(c => c.Value).Order(StringComparer.Ordinal));
        Assert.Equal(plans.Order(StringComparer.Ordinal),
            small.Dataset.UniqueNumbers.Where(c => c.Kind == "Plan accreditation number").Select(c => c.Value).Order(StringComparer.Ordinal));
        var corporate = Streams("so").Concat(Streams("io")).Select(s => s.Events[0].Data switch
        {
            SupervisingOrganizationRegistered r => r.CorporateNumber,
            ImplementingOrganizationRegistered r => r.CorporateNumber,
            _ => "",
        }).ToList();
        Assert.Equal(corporate.Count, corporate.Distinct().Count());
        Assert.Equal('1', DemoDatasetGenerator.CheckDigit("180301018771"));
        Assert.Equal('7', DemoDatasetGenerator.CheckDigit("000012050002"));
    }

    [Fact]
    public void The_published_figures_hold_at_the_scale()
    {
        var figures = SeedFigures.Compute(small.Dataset, 2022);
        var p = small.Profile;
        Assert.Equal(p.SupervisingOrganizationsPermittedAtFy2022End, figures.SupervisingOrganizationsPermitted);
        Assert.Equal(p.SupervisingOrganizationInspections(2022), figures.SupervisingOrganizationInspections);
        Assert.Equal(p.ImplementingOrganizationInspections(2022), figures.ImplementingOrganizationInspections);
        Assert.Equal(p.SupervisingOrganizationRevocations(2022), figures.PermitRevocations);
        Assert.Equal(p.PlanRevocations(2022), figures.PlanRevocations);
        Assert.Equal(figures.PlanRevocations, figures.PlanRevokedOrganizations);
        Assert.Equal(p.MocReportsIn(2022), figures.MocReports);
        Assert.Equal(figures.MocReports, figures.MocReportedOrganizations);
        Assert.All(figures.MocReportedCountries, c => Assert.Contains(c, DemoDatasetGenerator.MocCountries));
        foreach (var fy in new[] { 2018, 2019, 2020, 2023, 2024 })
        {
            var year = SeedFigures.Compute(small.Dataset, fy);
            Assert.Equal(p.SupervisingOrganizationRevocations(fy), year.PermitRevocations);
            Assert.Equal(p.PlanRevocations(fy), year.PlanRevocations);
            Assert.Equal(p.SupervisingOrganizationInspections(fy), year.SupervisingOrganizationInspections);
            Assert.Equal(p.ImplementingOrganizationInspections(fy), year.ImplementingOrganizationInspections);
        }
    }

    [GeneratedRegex("^inspector-[0-9]{4}$")]
    private static partial Regex InspectorPattern();
}
