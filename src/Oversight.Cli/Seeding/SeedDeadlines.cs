using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Inspections;
using Oversight.Domain.SupervisingOrganizations;
using Oversight.ReadModels.Deadlines;
using Oversight.Runtime.Messaging;

namespace Oversight.Cli.Seeding;

/// <summary>
/// Bulk-loaded history bypasses the outbox, so the follow-up work live writes would have scheduled is
/// scheduled here, through the handler runtime: the next inspection check of every organization still active
/// and the due-date check of every correction order still open. Checks already due run when the API starts
/// and append what the rules decide (e.g. <see cref="InspectionOverdue"/> as of the service's clock).
/// </summary>
internal static class SeedDeadlines
{
    private const int BatchSize = 5_000;

    public static async Task<int> ScheduleAsync(SeedDataset dataset, MessageBus bus, CancellationToken cancellationToken)
    {
        var organizations = new List<(Guid Id, OrganizationType Type, DateOnly RegisteredOn)>();
        var lastInspected = new Dictionary<Guid, DateOnly>();
        var checks = new List<object>();
        foreach (var stream in dataset.Streams)
        {
            var first = stream.Events[0];
            switch (first.Data)
            {
                case SupervisingOrganizationRegistered r when Fold<SupervisingOrganization>(stream, SupervisingOrganization.Evolve)!.IsActive:
                    organizations.Add((r.OrganizationId, OrganizationType.SupervisingOrganization, first.OccurredOn));
                    break;
                case ImplementingOrganizationRegistered r when Fold<ImplementingOrganization>(stream, ImplementingOrganization.Evolve)!.IsActive:
                    organizations.Add((r.OrganizationId, OrganizationType.ImplementingOrganization, first.OccurredOn));
                    break;
                case InspectionScheduled s when stream.Events[^1].Data is InspectionCompleted c:
                    if (!lastInspected.TryGetValue(s.OrganizationId, out var last) || c.CompletedOn > last) lastInspected[s.OrganizationId] = c.CompletedOn;
                    break;
                case CorrectionOrderIssued when Fold<CorrectionOrder>(stream, CorrectionOrder.Evolve) is { Status: CorrectionOrderStatus.Open or CorrectionOrderStatus.Reported } order
                                                && order.OverdueMarkedFor != order.DueOn:
                    checks.Add(new Scheduled(new CheckCorrectionOrderDue(order.Id, order.DueOn), CorrectionDeadlineHandlers.OverdueFrom(order.DueOn)));
                    break;
            }
        }
        foreach (var (id, type, registeredOn) in organizations)
        {
            var due = InspectionDeadlines.DueOn(type, registeredOn, lastInspected.TryGetValue(id, out var last) ? last : null);
            checks.Add(new Scheduled(new CheckInspectionDue(id, type, due), CorrectionDeadlineHandlers.OverdueFrom(due)));
        }
        foreach (var batch in checks.Chunk(BatchSize)) await bus.SendAsync(batch, "seed", cancellationToken);
        return checks.Count;
    }

    private static T? Fold<T>(SeedStream stream, Func<T?, object, T?> evolve) where T : class =>
        stream.Events.Aggregate((T?)null, (state, e) => evolve(state, e.Data));
}
