using Marten;
using Marten.Events;
using Oversight.Domain.Moc;

namespace Oversight.ReadModels.ReferenceData;

/// <summary>Every country's memoranda, folded from the <c>moc-{country}</c> streams: one query for their few dozen events.</summary>
public static class MocAgreements
{
    public static async Task<IReadOnlyList<MocAgreement>> AllAsync(IQuerySession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(typeof(MocSigned), typeof(MocEnded)))
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
        return
        [
            .. events.GroupBy(e => e.StreamKey, StringComparer.Ordinal)
                .Select(g => g.Aggregate((MocAgreement?)null, (state, e) => MocAgreement.Evolve(state, e.Data))!)
                .OrderBy(a => a.Country, StringComparer.Ordinal),
        ];
    }
}
