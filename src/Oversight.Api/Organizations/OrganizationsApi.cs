using System.Text.Json;
using Microsoft.Extensions.Options;
using Oversight.Api.Http;
using Oversight.Api.Security;
using Oversight.Api.Writes;
using Oversight.EventStore;
using Oversight.ReadModels.History;

namespace Oversight.Api.Organizations;

/// <summary>An organization's current state, its full history as auditors replay it, and the proof that nobody altered it.</summary>
internal static class OrganizationsApi
{
    private const int DefaultPage = 1000;
    private const int MaxPage = 10_000;

    public static RouteGroupBuilder MapOrganizations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/organizations").WithTags("Organizations").RequireAuthorization(Policies.Audit);
        group.MapGet("/{id:guid}", Get).WithSummary("Current state of a supervising or implementing organization (live from its stream)")
            .Produces<OrganizationView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/history", History)
            .WithSummary("Every event of the organization and of the inspections, orders, entity and sending organizations that concern it, in global order; "
                + "asOf = business date, recordedBefore = what the system knew then; JSON or text/csv; paged with after/limit")
            .Produces<OrganizationHistoryPage>().Produces(StatusCodes.Status200OK, contentType: CsvOutput.MediaType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/verification", Verify).WithSummary("Re-derive the hash chain of every stream involved; names the first event that fails")
            .Produces<OrganizationVerification>().ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, EventStore.EventStore store, CancellationToken ct)
    {
        var streams = await FindAsync(store, id, ct);
        var events = await store.ReadStreamAsync(streams.OwnStream, cancellationToken: ct);
        http.Response.Headers.ETag = WriteExecutor.ETag(events[^1].Version);
        var state = await OrganizationHistory.FoldStateAsync(store, streams, null, null, ct);
        return Results.Ok(new OrganizationView(id, streams.OrganizationType, events[^1].Version, state!));
    }

    private static async Task<IResult> History(Guid id, DateOnly? asOf, DateTimeOffset? recordedBefore, long? after, int? limit, string? format,
        HttpContext http, EventStore.EventStore store, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var v = new Validation();
        v.OptionalDate(asOf, "asOf");
        if (after is < 0) v.Add("after", "A global position (the next of the previous page).");
        if (limit is < 1 or > MaxPage) v.Add("limit", $"Between 1 and {MaxPage}.");
        var csv = v.Parse("format", () => CsvOutput.Wanted(http.Request, format));
        v.ThrowIfInvalid();

        var streams = await FindAsync(store, id, ct);
        var page = limit ?? DefaultPage;
        var query = new StreamsQuery { AfterSequence = after ?? 0, Limit = page, RecordedBefore = recordedBefore, OccurredOnOrBefore = asOf };
        var events = await store.ReadStreamsAsync(streams.All, query, ct);
        var next = events.Count == page ? events[^1].Sequence : (long?)null;
        if (next is not null) http.Response.Headers["Link"] = $"<{http.Request.Path}?{NextQuery(http.Request.Query, next.Value)}>; rel=\"next\"";

        if (csv)
            return CsvOutput.Write(HistoryEntry.Columns, events.Select(e => HistoryEntry.Of(e).Row(json.Value.SerializerOptions)), $"history-{id}.csv");
        var state = await OrganizationHistory.FoldStateAsync(store, streams, recordedBefore, asOf, ct);
        return Results.Ok(new OrganizationHistoryPage(id, streams.OrganizationType, asOf, recordedBefore, streams.All, state, events.Select(HistoryEntry.Of).ToList(), next));
    }

    private static async Task<IResult> Verify(Guid id, EventStore.EventStore store, CancellationToken ct)
    {
        var streams = await FindAsync(store, id, ct);
        var results = new List<VerificationResult>();
        foreach (var stream in streams.All) results.Add(await store.VerifyStreamAsync(stream, ct));
        // Streams named but never written (an entity without disqualifications) have nothing to prove.
        var checkedStreams = results.Where(r => r.EventsChecked > 0 || !r.IsValid).ToList();
        var firstFailure = checkedStreams.Where(r => !r.IsValid).OrderBy(r => r.FirstInvalidSequence ?? long.MaxValue).FirstOrDefault();
        return Results.Ok(new OrganizationVerification(id, firstFailure is null, checkedStreams.Sum(r => r.EventsChecked), firstFailure, checkedStreams));
    }

    private static async Task<OrganizationStreams> FindAsync(EventStore.EventStore store, Guid id, CancellationToken ct) =>
        await OrganizationHistory.FindStreamsAsync(store, id, ct) ?? throw ApiProblemException.NotFound("organization", id);

    private static string NextQuery(IQueryCollection query, long next) =>
        string.Join('&', query.Where(q => q.Key != "after").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"after={next}"));
}

/// <summary>One event as auditors see it: position, stream and version, type, business date, recording time, actor, causality, payload.</summary>
public sealed record HistoryEntry(long Position, string StreamId, long Version, Guid EventId, string Type, int SchemaVersion, DateOnly? OccurredOn,
    DateTimeOffset RecordedAt, string? ActorId, string? ActorRole, string? CorrelationId, string? CausationId, object Data)
{
    internal static readonly string[] Columns =
        ["position", "streamId", "version", "eventId", "type", "schemaVersion", "occurredOn", "recordedAt", "actorId", "actorRole", "correlationId", "causationId", "data"];

    internal static HistoryEntry Of(RecordedEvent e) => new(e.Sequence, e.StreamId, e.Version, e.EventId, e.EventType, e.SchemaVersion, e.OccurredOn,
        e.RecordedAt, e.ActorId, e.ActorRole, e.CorrelationId, e.CausationId, e.Data);

    internal object?[] Row(JsonSerializerOptions json) =>
        [Position, StreamId, Version, EventId, Type, SchemaVersion, OccurredOn, RecordedAt, ActorId, ActorRole, CorrelationId, CausationId,
            JsonSerializer.Serialize(Data, Data.GetType(), json)];
}

/// <summary>A page of history; <c>state</c> is the organization folded under the same filters; pass <c>next</c> as <c>after</c>.</summary>
public sealed record OrganizationHistoryPage(Guid OrganizationId, string OrganizationType, DateOnly? AsOf, DateTimeOffset? RecordedBefore,
    IReadOnlyList<string> Streams, object? State, IReadOnlyList<HistoryEntry> Events, long? Next);

/// <summary>An organization's current state, either kind.</summary>
public sealed record OrganizationView(Guid Id, string OrganizationType, long Version, object State);

/// <summary>Whether every stream involved has an intact hash chain; the first failing event if not.</summary>
public sealed record OrganizationVerification(Guid OrganizationId, bool IsValid, long EventsChecked, VerificationResult? FirstFailure,
    IReadOnlyList<VerificationResult> Streams);
