using System.Text.Json;
using System.Text.Json.Serialization;
using Oversight.Domain.Common;
using Oversight.Domain.CorrectionOrders;
using Oversight.EventStore;
using Oversight.Runtime.Messaging;

namespace Oversight.ReadModels.Deadlines;

/// <summary>Scheduled for the first moment after an order's due date (Tokyo): mark it overdue unless it was corrected.</summary>
public sealed record CheckCorrectionOrderDue(Guid OrderId, DateOnly DueOn);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CheckCorrectionOrderDue))]
internal sealed partial class CorrectionDeadlineJson : JsonSerializerContext;

/// <summary>
/// The follow-up work a correction order needs: when one is issued, a check is scheduled for the day after
/// its due date; the check appends <see cref="CorrectionOrderOverdue"/> if the correction was not verified
/// by then. Both run in the handler runtime, so a check survives restarts and runs once.
/// </summary>
public static class CorrectionDeadlineHandlers
{
    public const string ScheduleCheck = "correction-order.schedule-due-check";
    public const string Check = "correction-order.check-due";
    public const string SystemActor = "system:correction-deadlines";

    public static HandlerRegistry AddCorrectionDeadlines(this HandlerRegistry handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        handlers.MessageTypes.Register("CheckCorrectionOrderDue", CorrectionDeadlineJson.Default.CheckCorrectionOrderDue);
        return handlers
            .Subscribe<CorrectionOrderIssued>(ScheduleCheck, "CorrectionOrderIssued", (issued, _, _) =>
                Task.FromResult<IEnumerable<object>>([new Scheduled(new CheckCorrectionOrderDue(issued.OrderId, issued.DueOn), OverdueFrom(issued.DueOn))]))
            .Handle<CheckCorrectionOrderDue>(Check, async (check, context, cancellationToken) =>
            {
                var streamId = CorrectionOrder.StreamId(check.OrderId);
                var events = await context.ReadStreamAsync(streamId, cancellationToken);
                var state = events.Aggregate((CorrectionOrder?)null, (s, e) => CorrectionOrder.Evolve(s, e.Data));
                var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(context.Now, FiscalYear.Tokyo).DateTime);
                var decided = CorrectionOrderRules.Decide(state, new MarkOverdue(today));
                if (decided.Length > 0)
                    await context.AppendAsync(streamId, ExpectedVersion.Exactly(events[^1].Version), [.. decided.Select(e => new EventData(e, today))],
                        new AppendOptions { ActorId = SystemActor, ActorRole = "system" }, cancellationToken);
                return [];
            });
    }

    /// <summary>00:00 in Tokyo on the day after the due date.</summary>
    public static DateTimeOffset OverdueFrom(DateOnly dueOn) => new(dueOn.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(9));
}
