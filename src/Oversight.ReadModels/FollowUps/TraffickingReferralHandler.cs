using Marten;
using Oversight.Domain.Inspections;
using Oversight.Domain.Referrals;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Reading;

namespace Oversight.ReadModels.FollowUps;

/// <summary>
/// What the referral needs of a trafficking-indicator finding, and nothing more: Wolverine keeps its messages in its envelope
/// tables (and failed ones in its dead letters), which a personal-data erasure does not reach, so the narrative never goes there.
/// </summary>
[Wolverine.Attributes.MessageIdentity("TraffickingIndicatorRecorded")] // stored in Wolverine's tables: a name, not the CLR type's
public sealed record TraffickingIndicatorRecorded(Guid FindingId, FindingCategory Category, string InspectionStreamId);

/// <summary>
/// A recorded finding that indicates trafficking is referred once to the investigating authority: Marten's event subscription
/// hands each such <see cref="FindingRecorded"/> to this handler as a <see cref="TraffickingIndicatorRecorded"/>; the referral starts
/// a stream of its own, so a redelivered finding cannot refer twice (the second start is refused and the message is done).
/// </summary>
public static class TraffickingReferralHandler
{
    public const string SystemActor = "system:referrals";

    public static async Task Handle(TraffickingIndicatorRecorded recorded, IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(session);
        if (!Finding.TraffickingIndicators.Contains(recorded.Category)) return;
        var stream = TraffickingReferrals.StreamId(recorded.FindingId);
        var referred = await session.Events.FetchStreamStateAsync(stream, cancellationToken) is not null;
        var (inspection, _) = await EventReader.FoldAsync<Inspection?>(session, recorded.InspectionStreamId, null, Inspection.Evolve, cancellationToken: cancellationToken);
        var today = SystemWrites.Today(clock);
        var decided = TraffickingReferrals.Decide(referred, inspection!, recorded.FindingId, recorded.Category, today);
        if (decided.Length > 0)
            session.AppendChained(stream, ChainHead.Empty, SystemWrites.On(today, decided), SystemWrites.As(SystemActor), clock.GetUtcNow());
    }
}
