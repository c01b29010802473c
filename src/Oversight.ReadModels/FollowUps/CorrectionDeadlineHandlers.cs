using JasperFx.Events;
using Marten;
using Oversight.Domain.CorrectionOrders;
using Oversight.Persistence.Integrity;

namespace Oversight.ReadModels.FollowUps;

/// <summary>Checked from the first moment after an order's due date (Tokyo): marks it overdue unless it was corrected.</summary>
public sealed record CheckCorrectionOrderDue(Guid OrderId, DateOnly DueOn);

/// <summary>A correction order sets its due-date deadline when issued; the check appends <see cref="CorrectionOrderOverdue"/> if due.</summary>
public static class CorrectionDeadlineHandlers
{
    public const string SystemActor = "system:correction-deadlines";

    public static void Handle(IEvent<CorrectionOrderIssued> issued, IDocumentSession session)
    {
        ArgumentNullException.ThrowIfNull(issued);
        ArgumentNullException.ThrowIfNull(session);
        Deadlines.Set(session, session.DocumentStore.Options.Events.DatabaseSchemaName, issued.Data.OrderId, Deadlines.OverdueFrom(issued.Data.DueOn),
            new CheckCorrectionOrderDue(issued.Data.OrderId, issued.Data.DueOn));
    }

    public static async Task Handle(CheckCorrectionOrderDue check, IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(session);
        var stream = CorrectionOrder.StreamId(check.OrderId);
        var events = await session.Events.FetchStreamAsync(stream, token: cancellationToken);
        var state = events.Aggregate((CorrectionOrder?)null, (s, e) => CorrectionOrder.Evolve(s, e.Data));
        var today = SystemWrites.Today(clock);
        var decided = CorrectionOrderRules.Decide(state, new MarkOverdue(today));
        if (decided.Length > 0)
            session.AppendChained(stream, ChainedAppends.HeadOf(events), SystemWrites.On(today, decided), SystemWrites.As(SystemActor), clock.GetUtcNow());
    }
}
