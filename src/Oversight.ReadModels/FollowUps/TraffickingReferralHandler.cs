using JasperFx.Events;
using Marten;
using Oversight.Domain.Inspections;
using Oversight.Domain.Referrals;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Reading;

namespace Oversight.ReadModels.FollowUps;

/// <summary>
/// A recorded finding that indicates trafficking is referred once to the investigating authority: Wolverine hands each
/// <see cref="FindingRecorded"/> to this handler from Marten's event subscription; the referral starts a stream of its own, so a
/// redelivered finding cannot refer twice (the second start is refused and the message is done).
/// </summary>
public static class TraffickingReferralHandler
{
    public const string SystemActor = "system:referrals";

    public static async Task Handle(IEvent<FindingRecorded> recorded, IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(session);
        if (!Finding.TraffickingIndicators.Contains(recorded.Data.Category)) return;
        var stream = TraffickingReferrals.StreamId(recorded.Data.FindingId);
        var referred = await session.Events.FetchStreamStateAsync(stream, cancellationToken) is not null;
        var (inspection, _) = await EventReader.FoldAsync<Inspection?>(session, recorded.StreamKey!, null, Inspection.Evolve, cancellationToken: cancellationToken);
        var today = SystemWrites.Today(clock);
        var decided = TraffickingReferrals.Decide(referred, inspection!, recorded.Data, today);
        if (decided.Length > 0)
            session.AppendChained(stream, ChainHead.Empty, SystemWrites.On(today, decided), SystemWrites.As(SystemActor), clock.GetUtcNow());
    }
}
