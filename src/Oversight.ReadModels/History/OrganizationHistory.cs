using Marten;
using Oversight.Domain.Common;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;
using Oversight.Persistence.Reading;

namespace Oversight.ReadModels.History;

/// <summary>An organization's own stream and every stream that concerns it, with its current state and stream version (found on the way).</summary>
public sealed record OrganizationStreams(Guid OrganizationId, string OrganizationType, string OwnStream, IReadOnlyList<string> All, object CurrentState,
    long Version);

/// <summary>
/// What auditors replay: the organization's stream, its legal entity's stream (disqualifications), the
/// inspections, correction orders and trafficking referrals that target it, and (for implementing organizations) the sending
/// organizations its plans name, whose MOC reports bear on it. Read from the store itself, never from a lagging read model.
/// </summary>
public static class OrganizationHistory
{
    public static async Task<OrganizationStreams?> FindStreamsAsync(IQuerySession session, EventReader reader, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(reader);
        // One round trip: both kinds of organization's stream (the id says not which; reading the empty one costs less than a
        // second round trip) and the streams that name it.
        var batch = session.CreateBatchQuery();
        var soEvents = batch.Events.FetchStream(SupervisingOrganization.StreamId(id));
        var ioEvents = batch.Events.FetchStream(ImplementingOrganization.StreamId(id));
        var subjects = batch.AddItem(reader.SubjectStreamsOf(id));
        await batch.Execute(cancellationToken);
        var (so, soVersion) = EventReader.Fold<SupervisingOrganization?>(await soEvents, null, SupervisingOrganization.Evolve);
        var (io, ioVersion) = soVersion > 0 ? (null, 0) : EventReader.Fold<ImplementingOrganization?>(await ioEvents, null, ImplementingOrganization.Evolve);
        if (so is null && io is null) return null;

        var own = so is not null ? SupervisingOrganization.StreamId(id) : ImplementingOrganization.StreamId(id);
        var streams = new List<string> { own, LegalEntity.StreamId(CorporateNumber.Parse(so?.CorporateNumber ?? io!.CorporateNumber)) };
        streams.AddRange(await subjects);
        if (io is not null)
            streams.AddRange(io.Plans.Select(p => p.SendingOrganizationId).OfType<Guid>().Distinct().Select(SendingOrganization.StreamId));
        return new OrganizationStreams(id, so is not null ? nameof(SupervisingOrganization) : nameof(ImplementingOrganization), own, streams,
            (object?)so ?? io!, so is not null ? soVersion : ioVersion);
    }

    /// <summary>The organization's state folded from its own stream, under the same filters as the history (the current state without filters).</summary>
    public static async Task<object?> FoldStateAsync(IQuerySession session, OrganizationStreams streams, DateTimeOffset? recordedBefore, DateOnly? asOf,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(streams);
        if (recordedBefore is null && asOf is null) return streams.CurrentState;
        return streams.OrganizationType == nameof(SupervisingOrganization)
            ? (await EventReader.FoldAsync<SupervisingOrganization?>(session, streams.OwnStream, null, SupervisingOrganization.Evolve, recordedBefore, asOf,
                cancellationToken)).State
            : (await EventReader.FoldAsync<ImplementingOrganization?>(session, streams.OwnStream, null, ImplementingOrganization.Evolve, recordedBefore, asOf,
                cancellationToken)).State;
    }
}
