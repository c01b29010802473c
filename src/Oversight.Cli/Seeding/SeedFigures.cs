using Oversight.Domain.Common;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Inspections;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;

namespace Oversight.Cli.Seeding;

/// <summary>
/// The published measures, counted over a generated dataset with the same definitions the SQL checks use:
/// <list type="bullet">
/// <item>permitted at D: <c>SupervisingOrganizationRegistered.PermitFrom</c> ≤ D and no <c>PermitRevoked</c>/<c>BusinessAbolished</c> with <c>EffectiveOn</c> ≤ D;</item>
/// <item>completed inspections in FY: <c>InspectionCompleted.CompletedOn</c> in the FY, by the stream's <c>InspectionScheduled.OrganizationType</c>;</item>
/// <item>revocations in FY: <c>PermitRevoked</c> / <c>PlanAccreditationRevoked</c> events with <c>EffectiveOn</c> in the FY;</item>
/// <item>MOC reports in FY: <c>SendingOrganizationReportedUnderMoc</c> with <c>ReportedOn</c> in the FY.</item>
/// </list>
/// </summary>
public sealed record SeedFigures(
    int SupervisingOrganizationsPermitted, int SupervisingOrganizationInspections, int ImplementingOrganizationInspections, int PermitRevocations,
    int PlanRevocations, int PlanRevokedOrganizations, int MocReports, int MocReportedOrganizations, IReadOnlyList<string> MocReportedCountries)
{
    public static SeedFigures Compute(SeedDataset dataset, int fiscalYear)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var at = SeedProfile.FiscalYearEnd(fiscalYear);
        bool InYear(DateOnly date) => FiscalYear.Of(date) == fiscalYear;
        var permitted = 0;
        var soInspections = 0;
        var ioInspections = 0;
        var permitRevocations = 0;
        var planRevocations = 0;
        var planRevoked = new HashSet<string>(StringComparer.Ordinal);
        var mocReports = 0;
        var mocReported = new HashSet<string>(StringComparer.Ordinal);
        var countries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var stream in dataset.Streams)
        {
            var registered = false;
            var ended = false;
            OrganizationType? inspected = null;
            string? country = null;
            foreach (var e in stream.Events)
            {
                switch (e.Data)
                {
                    case SupervisingOrganizationRegistered r: registered = r.PermitFrom <= at; break;
                    case PermitRevoked r:
                        ended |= r.EffectiveOn <= at;
                        if (InYear(r.EffectiveOn)) permitRevocations++;
                        break;
                    case BusinessAbolished a: ended |= a.EffectiveOn <= at; break;
                    case InspectionScheduled s: inspected = s.OrganizationType; break;
                    case InspectionCompleted c when InYear(c.CompletedOn):
                        if (inspected == OrganizationType.SupervisingOrganization) soInspections++;
                        else ioInspections++;
                        break;
                    case PlanAccreditationRevoked r when InYear(r.EffectiveOn):
                        planRevocations++;
                        planRevoked.Add(stream.StreamId);
                        break;
                    case SendingOrganizationRegistered r: country = r.Country; break;
                    case SendingOrganizationReportedUnderMoc r when InYear(r.ReportedOn):
                        mocReports++;
                        mocReported.Add(stream.StreamId);
                        countries.Add(country!);
                        break;
                    default: break;
                }
            }
            if (registered && !ended) permitted++;
        }
        return new SeedFigures(permitted, soInspections, ioInspections, permitRevocations, planRevocations, planRevoked.Count, mocReports, mocReported.Count,
            [.. countries]);
    }

    /// <summary>Plans accredited on or before <paramref name="asOf"/>, one per trainee (the trainees of each accreditation).</summary>
    public static long TrainingPlansAccredited(SeedDataset dataset, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Streams.SelectMany(s => s.Events).Select(e => e.Data).OfType<TrainingPlanAccredited>()
            .Where(p => p.AccreditedOn <= asOf).Sum(p => (long)p.Trainees);
    }

    /// <summary>Joint inspections with a labour office completed in <paramref name="year"/>, and the orders OTIT issued after them in that year.</summary>
    public static (int Inspections, int OtitOrders) JointInspections(SeedDataset dataset, int year)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var joint = new HashSet<Guid>();
        var inspections = 0;
        foreach (var stream in dataset.Streams)
        {
            if (stream.Events[0].Data is not InspectionScheduled { Kind: InspectionKind.JointWithLabourOffice } scheduled) continue;
            joint.Add(scheduled.InspectionId);
            if (stream.Events[^1].Data is InspectionCompleted c && c.CompletedOn.Year == year) inspections++;
        }
        var orders = dataset.Streams.Select(s => s.Events[0].Data).OfType<Domain.CorrectionOrders.CorrectionOrderIssued>()
            .Count(o => o.Issuer == Domain.CorrectionOrders.CorrectionIssuer.Otit && o.IssuedOn.Year == year && o.InspectionId is { } id && joint.Contains(id));
        return (inspections, orders);
    }
}
