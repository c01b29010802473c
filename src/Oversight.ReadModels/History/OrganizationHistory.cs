using Marten;
using Npgsql;
using Oversight.Domain.Common;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;
using Oversight.EventStore;
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
    public static async Task<OrganizationStreams?> FindStreamsAsync(EventStore.EventStore store, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (so, soVersion) = await store.AggregateStreamAsync<SupervisingOrganization?>(SupervisingOrganization.StreamId(id), null, SupervisingOrganization.Evolve,
            cancellationToken: cancellationToken);
        var (io, ioVersion) = soVersion > 0
            ? (null, 0)
            : await store.AggregateStreamAsync<ImplementingOrganization?>(ImplementingOrganization.StreamId(id), null, ImplementingOrganization.Evolve,
                cancellationToken: cancellationToken);
        if (so is null && io is null) return null;

        var own = so is not null ? SupervisingOrganization.StreamId(id) : ImplementingOrganization.StreamId(id);
        var streams = new List<string> { own, LegalEntity.StreamId(CorporateNumber.Parse(so?.CorporateNumber ?? io!.CorporateNumber)) };
        await using (var command = store.DataSource.CreateCommand(
            // The types are literals so the planner can always match the partial subject index (also in generic plans).
            $"""
            SELECT DISTINCT stream_id FROM "{store.Schema}".events
             WHERE event_type IN ('InspectionScheduled', 'CorrectionOrderIssued', 'TraffickingSuspicionReferred') AND data ->> 'organizationId' = $1
            """))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id.ToString() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) streams.Add(reader.GetString(0));
        }
        if (io is not null)
            streams.AddRange(io.Plans.Select(p => p.SendingOrganizationId).OfType<Guid>().Distinct().Select(SendingOrganization.StreamId));
        return new OrganizationStreams(id, so is not null ? nameof(SupervisingOrganization) : nameof(ImplementingOrganization), own, streams,
            (object?)so ?? io!, so is not null ? soVersion : ioVersion);
    }

    /// <summary>As <see cref="FindStreamsAsync(EventStore.EventStore, Guid, CancellationToken)"/>, on Marten's event store (ADR 8).</summary>
    public static async Task<OrganizationStreams?> FindStreamsAsync(IQuerySession session, EventReader reader, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(reader);
        var (so, soVersion) = await EventReader.FoldAsync<SupervisingOrganization?>(session, SupervisingOrganization.StreamId(id), null,
            SupervisingOrganization.Evolve, cancellationToken: cancellationToken);
        var (io, ioVersion) = soVersion > 0
            ? (null, 0)
            : await EventReader.FoldAsync<ImplementingOrganization?>(session, ImplementingOrganization.StreamId(id), null, ImplementingOrganization.Evolve,
                cancellationToken: cancellationToken);
        if (so is null && io is null) return null;

        var own = so is not null ? SupervisingOrganization.StreamId(id) : ImplementingOrganization.StreamId(id);
        var streams = new List<string> { own, LegalEntity.StreamId(CorporateNumber.Parse(so?.CorporateNumber ?? io!.CorporateNumber)) };
        streams.AddRange(await reader.SubjectStreamsAsync(id, cancellationToken));
        if (io is not null)
            streams.AddRange(io.Plans.Select(p => p.SendingOrganizationId).OfType<Guid>().Distinct().Select(SendingOrganization.StreamId));
        return new OrganizationStreams(id, so is not null ? nameof(SupervisingOrganization) : nameof(ImplementingOrganization), own, streams,
            (object?)so ?? io!, so is not null ? soVersion : ioVersion);
    }

    /// <summary>The organization's state folded from its own stream, under the same filters as the history (the current state without filters).</summary>
    public static async Task<object?> FoldStateAsync(EventStore.EventStore store, OrganizationStreams streams, DateTimeOffset? recordedBefore, DateOnly? asOf,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(streams);
        if (recordedBefore is null && asOf is null) return streams.CurrentState;
        var events = await store.ReadStreamsAsync([streams.OwnStream],
            new StreamsQuery { Limit = int.MaxValue, RecordedBefore = recordedBefore, OccurredOnOrBefore = asOf }, cancellationToken);
        return streams.OrganizationType == nameof(SupervisingOrganization)
            ? events.Aggregate((SupervisingOrganization?)null, (s, e) => SupervisingOrganization.Evolve(s, e.Data))
            : events.Aggregate((ImplementingOrganization?)null, (s, e) => ImplementingOrganization.Evolve(s, e.Data));
    }
}
