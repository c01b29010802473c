using Oversight.Api.Http;
using Oversight.Api.Security;
using Oversight.Api.Writes;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.SupervisingOrganizations;
using Oversight.EventStore;

namespace Oversight.Api.Organizations;

/// <summary>An organization's current state and its history, folded live from its stream.</summary>
internal static class OrganizationsApi
{
    public static RouteGroupBuilder MapOrganizations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/organizations").WithTags("Organizations").RequireAuthorization(Policies.Audit);
        group.MapGet("/{id:guid}", Get).WithSummary("Current state of a supervising or implementing organization")
            .Produces<OrganizationView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/history", History).WithSummary("Every event of the organization's stream with its metadata, in order")
            .Produces<IReadOnlyList<HistoryEntry>>().ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, EventStore.EventStore store, CancellationToken ct)
    {
        var (streamId, events) = await ReadAsync(store, id, ct);
        var view = OrganizationView.Fold(id, streamId, events);
        http.Response.Headers.ETag = WriteExecutor.ETag(events[^1].Version);
        return Results.Ok(view);
    }

    private static async Task<IResult> History(Guid id, HttpContext http, EventStore.EventStore store, CancellationToken ct)
    {
        var (_, events) = await ReadAsync(store, id, ct);
        http.Response.Headers.ETag = WriteExecutor.ETag(events[^1].Version);
        return Results.Ok(events.Select(HistoryEntry.Of).ToList());
    }

    private static async Task<(string StreamId, IReadOnlyList<RecordedEvent> Events)> ReadAsync(EventStore.EventStore store, Guid id, CancellationToken ct)
    {
        foreach (var streamId in OrganizationView.StreamIds(id))
        {
            var events = await store.ReadStreamAsync(streamId, cancellationToken: ct);
            if (events.Count > 0) return (streamId, events);
        }
        throw ApiProblemException.NotFound("organization", id);
    }
}

/// <summary>One event as auditors see it: position, version, type, business date, recording time, actor and payload.</summary>
public sealed record HistoryEntry(long Position, string StreamId, long Version, Guid EventId, string Type, DateOnly? OccurredOn,
    DateTimeOffset RecordedAt, string? ActorId, string? ActorRole, string? CorrelationId, string? CausationId, object Data)
{
    internal static HistoryEntry Of(RecordedEvent e) => new(e.Sequence, e.StreamId, e.Version, e.EventId, e.EventType, e.OccurredOn,
        e.RecordedAt, e.ActorId, e.ActorRole, e.CorrelationId, e.CausationId, e.Data);
}

/// <summary>An organization's current state, either kind.</summary>
public sealed record OrganizationView(Guid Id, string OrganizationType, long Version, object State)
{
    internal static IEnumerable<string> StreamIds(Guid id) => [SupervisingOrganization.StreamId(id), ImplementingOrganization.StreamId(id)];

    internal static OrganizationView Fold(Guid id, string streamId, IReadOnlyList<RecordedEvent> events) =>
        streamId == SupervisingOrganization.StreamId(id)
            ? new(id, nameof(SupervisingOrganization), events[^1].Version, events.Aggregate((SupervisingOrganization?)null, (s, e) => SupervisingOrganization.Evolve(s, e.Data))!)
            : new(id, nameof(ImplementingOrganization), events[^1].Version, events.Aggregate((ImplementingOrganization?)null, (s, e) => ImplementingOrganization.Evolve(s, e.Data))!);
}
