using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using Oversight.Domain.Common;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Inspections;
using Oversight.Domain.SupervisingOrganizations;
using Oversight.EventStore;
using Oversight.Runtime.Messaging;

namespace Oversight.ReadModels.Deadlines;

/// <summary>Scheduled for the day after an organization's next inspection is due.</summary>
public sealed record CheckInspectionDue(Guid OrganizationId, OrganizationType OrganizationType, DateOnly DueOn);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CheckInspectionDue))]
internal sealed partial class InspectionDeadlineJson : JsonSerializerContext;

/// <summary>
/// Inspection intervals as durable scheduled work: a registration or a completed inspection schedules a check
/// for the day after the next due date; the check appends <see cref="InspectionOverdue"/> to the organization's
/// stream when no inspection was completed since and the organization is still active (the risk flag follows).
/// </summary>
public static class InspectionDeadlineHandlers
{
    public const string OnSupervisingRegistered = "inspection-deadline.on-so-registered";
    public const string OnImplementingRegistered = "inspection-deadline.on-io-registered";
    public const string OnInspectionCompleted = "inspection-deadline.on-completed";
    public const string Check = "inspection-deadline.check";
    public const string SystemActor = "system:inspection-deadlines";

    public static HandlerRegistry AddInspectionDeadlines(this HandlerRegistry handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        handlers.MessageTypes.Register("CheckInspectionDue", InspectionDeadlineJson.Default.CheckInspectionDue);
        return handlers
            .Subscribe<SupervisingOrganizationRegistered>(OnSupervisingRegistered, "SupervisingOrganizationRegistered", (r, _, _) =>
                Schedule(r.OrganizationId, OrganizationType.SupervisingOrganization, r.PermitFrom, null))
            .Subscribe<ImplementingOrganizationRegistered>(OnImplementingRegistered, "ImplementingOrganizationRegistered", (r, context, _) =>
                Schedule(r.OrganizationId, OrganizationType.ImplementingOrganization, OccurredOn(context), null))
            .Subscribe<InspectionCompleted>(OnInspectionCompleted, "InspectionCompleted", async (completed, context, cancellationToken) =>
            {
                var inspection = await context.ReadStreamAsync(context.Headers["streamId"]!, cancellationToken);
                var scheduled = inspection.Select(e => e.Data).OfType<InspectionScheduled>().First();
                return await Schedule(scheduled.OrganizationId, scheduled.OrganizationType, default, completed.CompletedOn);
            })
            .Handle<CheckInspectionDue>(Check, CheckAsync);
    }

    private static Task<IEnumerable<object>> Schedule(Guid organizationId, OrganizationType type, DateOnly registeredOn, DateOnly? lastInspectedOn)
    {
        var due = InspectionDeadlines.DueOn(type, registeredOn, lastInspectedOn);
        return Task.FromResult<IEnumerable<object>>([new Scheduled(new CheckInspectionDue(organizationId, type, due), CorrectionDeadlineHandlers.OverdueFrom(due))]);
    }

    private static async Task<IEnumerable<object>> CheckAsync(CheckInspectionDue check, MessageContext context, CancellationToken cancellationToken)
    {
        var streamId = check.OrganizationType == OrganizationType.SupervisingOrganization
            ? SupervisingOrganization.StreamId(check.OrganizationId)
            : ImplementingOrganization.StreamId(check.OrganizationId);
        var events = await context.ReadStreamAsync(streamId, cancellationToken);
        if (events.Count == 0) return [];
        var active = check.OrganizationType == OrganizationType.SupervisingOrganization
            ? events.Aggregate((SupervisingOrganization?)null, (s, e) => SupervisingOrganization.Evolve(s, e.Data))!.IsActive
            : events.Aggregate((ImplementingOrganization?)null, (s, e) => ImplementingOrganization.Evolve(s, e.Data))!.IsActive;
        var registeredOn = events[0].OccurredOn ?? DateOnly.FromDateTime(events[0].RecordedAt.UtcDateTime);
        var flagged = events.Select(e => e.Data).OfType<InspectionOverdue>().LastOrDefault()?.DueOn;
        var last = await LastInspectedOnAsync(context, check.OrganizationId, cancellationToken);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(context.Now, FiscalYear.Tokyo).DateTime);

        var decided = InspectionDeadlines.Decide(check.OrganizationType, active, registeredOn, last, flagged, today);
        if (decided.Length > 0)
            await context.AppendAsync(streamId, ExpectedVersion.Exactly(events[^1].Version), [.. decided.Select(e => new EventData(e, today))],
                new AppendOptions { ActorId = SystemActor, ActorRole = "system" }, cancellationToken);
        return [];
    }

    /// <summary>The latest completion of an inspection of this organization, read through the subject index in the handling transaction.</summary>
    private static async Task<DateOnly?> LastInspectedOnAsync(MessageContext context, Guid organizationId, CancellationToken cancellationToken)
    {
        var schema = context.Store.Schema;
        await using var command = new NpgsqlCommand(
            $"""
            SELECT max((c.data ->> 'completedOn')::date) FROM "{schema}".events c
             WHERE c.event_type = 'InspectionCompleted'
               AND c.stream_id IN (SELECT s.stream_id FROM "{schema}".events s
                                    WHERE s.event_type = 'InspectionScheduled' AND s.data ->> 'organizationId' = $1)
            """, context.Connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = organizationId.ToString() });
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DateOnly date ? date : value is DateTime dt ? DateOnly.FromDateTime(dt) : null;
    }

    private static DateOnly OccurredOn(MessageContext context) =>
        DateOnly.ParseExact(context.Headers["occurredOn"]!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
