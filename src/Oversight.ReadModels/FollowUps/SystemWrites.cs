using Oversight.Domain.Common;
using Oversight.Persistence.Events;

namespace Oversight.ReadModels.FollowUps;

/// <summary>What the service's own follow-up work writes with: actor role <c>system</c>, business dates in Tokyo by the injected clock.</summary>
internal static class SystemWrites
{
    public static AppendMetadata As(string actor) => new() { ActorId = actor, ActorRole = "system" };

    public static DateOnly Today(TimeProvider clock) => BusinessDates.TodayInTokyo(clock.GetUtcNow());

    public static PendingEvent[] On(DateOnly today, IEnumerable<object> events) => [.. events.Select(e => new PendingEvent(e, today))];
}
