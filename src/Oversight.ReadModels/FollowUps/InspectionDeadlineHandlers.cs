using JasperFx.Events;
using Marten;
using Npgsql;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Inspections;
using Oversight.Domain.SupervisingOrganizations;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Reading;

namespace Oversight.ReadModels.FollowUps;

/// <summary>Checked from the day after an organization's next inspection is due.</summary>
public sealed record CheckInspectionDue(Guid OrganizationId, OrganizationType OrganizationType, DateOnly DueOn);

/// <summary>
/// Inspection intervals: a registration or a completed inspection sets the deadline of the next inspection; the check
/// appends <see cref="InspectionOverdue"/> when none was completed since and the organization is still active.
/// </summary>
public static class InspectionDeadlineHandlers
{
    public const string SystemActor = "system:inspection-deadlines";

    public static void Handle(IEvent<SupervisingOrganizationRegistered> registered, IDocumentSession session) =>
        Set(session, registered.Data.OrganizationId, OrganizationType.SupervisingOrganization, registered.Data.PermitFrom, null);

    public static void Handle(IEvent<ImplementingOrganizationRegistered> registered, IDocumentSession session) =>
        Set(session, registered.Data.OrganizationId, OrganizationType.ImplementingOrganization,
            EventHeaderValues.OccurredOn(registered) ?? DateOnly.FromDateTime(registered.Timestamp.UtcDateTime), null);

    public static async Task Handle(IEvent<InspectionCompleted> completed, IDocumentSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completed);
        ArgumentNullException.ThrowIfNull(session);
        var events = await session.Events.FetchStreamAsync(completed.StreamKey!, token: cancellationToken);
        var scheduled = events.Select(e => e.Data).OfType<InspectionScheduled>().First();
        Set(session, scheduled.OrganizationId, scheduled.OrganizationType, default, completed.Data.CompletedOn);
    }

    public static async Task Handle(CheckInspectionDue check, IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(session);
        var stream = check.OrganizationType == OrganizationType.SupervisingOrganization
            ? SupervisingOrganization.StreamId(check.OrganizationId)
            : ImplementingOrganization.StreamId(check.OrganizationId);
        var events = await session.Events.FetchStreamAsync(stream, token: cancellationToken);
        if (events.Count == 0) return;
        var active = check.OrganizationType == OrganizationType.SupervisingOrganization
            ? events.Aggregate((SupervisingOrganization?)null, (s, e) => SupervisingOrganization.Evolve(s, e.Data))!.IsActive
            : events.Aggregate((ImplementingOrganization?)null, (s, e) => ImplementingOrganization.Evolve(s, e.Data))!.IsActive;
        var registeredOn = EventHeaderValues.OccurredOn(events[0]) ?? DateOnly.FromDateTime(events[0].Timestamp.UtcDateTime);
        var flagged = events.Select(e => e.Data).OfType<InspectionOverdue>().LastOrDefault()?.DueOn;
        var last = await LastInspectedOnAsync(session, check.OrganizationId, cancellationToken);
        var today = SystemWrites.Today(clock);
        var decided = InspectionDeadlines.Decide(check.OrganizationType, active, registeredOn, last, flagged, today);
        if (decided.Length > 0)
            session.AppendChained(stream, ChainedAppends.HeadOf(events), SystemWrites.On(today, decided), SystemWrites.As(SystemActor), clock.GetUtcNow());
    }

    private static void Set(IDocumentSession session, Guid organizationId, OrganizationType type, DateOnly registeredOn, DateOnly? lastInspectedOn)
    {
        ArgumentNullException.ThrowIfNull(session);
        var due = InspectionDeadlines.DueOn(type, registeredOn, lastInspectedOn);
        Deadlines.Set(session, session.DocumentStore.Options.Events.DatabaseSchemaName, organizationId, Deadlines.OverdueFrom(due),
            new CheckInspectionDue(organizationId, type, due));
    }

    /// <summary>The latest completion of an inspection of this organization, found through the subject index.</summary>
    private static async Task<DateOnly?> LastInspectedOnAsync(IDocumentSession session, Guid organizationId, CancellationToken cancellationToken)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        await using var command = new NpgsqlCommand(
            $"""
            SELECT max((c.data ->> 'completedOn')::date) FROM "{schema}".mt_events c
             WHERE c.type = 'InspectionCompleted.v1'
               AND c.stream_id IN (SELECT s.stream_id FROM "{schema}".mt_events s
                                    WHERE s.type IN ({string.Join(", ", EventReader.SubjectTypes.Select(t => $"'{t}'"))}) AND s.data ->> 'organizationId' = $1)
            """, session.Connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = organizationId.ToString() });
        return await command.ExecuteScalarAsync(cancellationToken) switch
        {
            DateOnly date => date,
            DateTime dateTime => DateOnly.FromDateTime(dateTime),
            _ => null,
        };
    }
}
