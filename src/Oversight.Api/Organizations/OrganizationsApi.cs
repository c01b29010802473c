using System.Text.Json;
using Microsoft.Extensions.Options;
using Oversight.Api.AccessLog;
using Oversight.Api.Http;
using Oversight.Api.Security;
using Oversight.Api.Writes;
using Marten;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Reading;
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
        group.MapGet("/{id:guid}", Get).AccessLogged("organization.state", "organization").WithSummary("Current state of a supervising or implementing organization (live from its stream)")
            .Produces<OrganizationView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/history", History).AccessLogged("organization.history", "organization")
            .WithSummary("Every event of the organization and of the inspections, orders, entity and sending organizations that concern it, in global order; "
                + "asOf = business date, recordedBefore = what the system knew then; JSON or text/csv; paged with after/limit")
            .Produces<OrganizationHistoryPage>().Produces(StatusCodes.Status200OK, contentType: CsvOutput.MediaType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/verification", Verify).AccessLogged("organization.verification", "organization").WithSummary("Re-derive the hash chain of every stream involved; names the first event that fails")
            .Produces<OrganizationVerification>().ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, IQuerySession session, EventReader reader, CancellationToken ct)
    {
        var streams = await FindAsync(session, reader, id, ct);
        http.Response.Headers.ETag = WriteExecutor.ETag(streams.Version);
        return Results.Ok(new OrganizationView(id, streams.OrganizationType, streams.Version, streams.CurrentState));
    }

    private static async Task<IResult> History(Guid id, DateOnly? asOf, DateTimeOffset? recordedBefore, long? after, int? limit, string? format,
        HttpContext http, IQuerySession session, EventReader reader, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var v = new Validation();
        v.OptionalDate(asOf, "asOf");
        if (after is < 0) v.Add("after", "A global position (the next of the previous page).");
        if (limit is < 1 or > MaxPage) v.Add("limit", $"Between 1 and {MaxPage}.");
        var csv = v.Parse("format", () => CsvOutput.Wanted(http.Request, format));
        v.ThrowIfInvalid();

        var streams = await FindAsync(session, reader, id, ct);
        var query = new HistoryQuery { AfterSequence = after ?? 0, Limit = limit ?? DefaultPage, RecordedBefore = recordedBefore, OccurredOnOrBefore = asOf };
        if (csv)
        {
            var rows = await reader.ReadStreamsAsync(streams.All, query, ct);
            SetNextLink(http, rows.Count == query.Limit ? rows[^1].Sequence : null);
            return CsvOutput.Write(HistoryEntry.Columns, rows.Select(HistoryEntry.Row), $"history-{id}.csv");
        }

        var state = await OrganizationHistory.FoldStateAsync(session, streams, recordedBefore, asOf, ct);
        // The page's rows go to the response as PostgreSQL sends them, payloads as stored (no deserialize/serialize round trip):
        // what auditors read is what was recorded, and a long history is never held in memory. The page is opened when the answer
        // is written (after the access log's entry, so a request never holds two connections), before its first byte (Link).
        var options = json.Value.SerializerOptions;
        return Results.Stream(async _ =>
        {
            await using var page = await reader.OpenPageAsync(streams.All, query, ct);
            SetNextLink(http, page.Next);
            // Through the response pipe (the JSON goes straight into its buffers), not the stream the callback is given.
            await HistoryEntry.WritePageAsync(http.Response.BodyWriter, options, id, streams, asOf, recordedBefore, state, page, ct);
        }, "application/json");
    }

    private static void SetNextLink(HttpContext http, long? next)
    {
        if (next is { } n) http.Response.Headers["Link"] = $"<{http.Request.Path}?{NextQuery(http.Request.Query, n)}>; rel=\"next\"";
    }

    private static async Task<IResult> Verify(Guid id, IQuerySession session, EventReader reader, ChainVerifier verifier, CancellationToken ct)
    {
        var streams = await FindAsync(session, reader, id, ct);
        var results = new List<ChainVerification>();
        foreach (var stream in streams.All) results.Add(await verifier.VerifyStreamAsync(stream, ct));
        // Erasures are evidence too: the record of each request that erased fields here is verified with the rest.
        foreach (var request in results.SelectMany(r => r.Erased).Select(e => e.RequestId).Distinct().ToList())
            results.Add(await verifier.VerifyStreamAsync(Domain.Common.PersonalDataErased.StreamId(request), ct));
        // Streams named but never written (an entity without disqualifications) have nothing to prove.
        var checkedStreams = results.Where(r => r.EventsChecked > 0 || !r.IsValid).ToList();
        var firstFailure = checkedStreams.Where(r => !r.IsValid).OrderBy(r => r.FirstInvalidSequence ?? long.MaxValue).FirstOrDefault();
        return Results.Ok(new OrganizationVerification(id, firstFailure is null, checkedStreams.Sum(r => r.EventsChecked), firstFailure, checkedStreams));
    }

    private static async Task<OrganizationStreams> FindAsync(IQuerySession session, EventReader reader, Guid id, CancellationToken ct) =>
        await OrganizationHistory.FindStreamsAsync(session, reader, id, ct) ?? throw ApiProblemException.NotFound("organization", id);

    private static string NextQuery(IQueryCollection query, long next) =>
        string.Join('&', query.Where(q => q.Key != "after").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"after={next}"));
}

/// <summary>One event as auditors see it: position, stream and version, type, business date, recording time, actor, causality, payload as stored.</summary>
public sealed record HistoryEntry(long Position, string StreamId, long Version, Guid EventId, string Type, int SchemaVersion, DateOnly? OccurredOn,
    DateTimeOffset RecordedAt, string? ActorId, string? ActorRole, string? CorrelationId, string? CausationId, JsonElement Data)
{
    internal static readonly string[] Columns = [.. Names.InOrder.Select(name => name.Value)];

    internal static IReadOnlyList<object?> Row(StoredEvent e) =>
        [e.Sequence, e.StreamId, e.Version, e.EventId, e.EventType, e.SchemaVersion, e.OccurredOn, e.RecordedAt, e.ActorId, e.ActorRole, e.CorrelationId,
            e.CausationId, e.Json];

    /// <summary>Writes an <see cref="OrganizationHistoryPage"/> straight to the response, payloads as raw JSON, flushing as it goes.</summary>
    internal static async Task WritePageAsync(System.IO.Pipelines.PipeWriter body, JsonSerializerOptions options, Guid id, OrganizationStreams streams, DateOnly? asOf,
        DateTimeOffset? recordedBefore, object? state, HistoryPage page, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteString("organizationId", id);
        writer.WriteString("organizationType", streams.OrganizationType);
        if (asOf is { } date) writer.WriteString("asOf", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        else writer.WriteNull("asOf");
        if (recordedBefore is { } instant) writer.WriteString("recordedBefore", instant);
        else writer.WriteNull("recordedBefore");
        writer.WriteStartArray("streams");
        foreach (var stream in streams.All) writer.WriteStringValue(stream);
        writer.WriteEndArray();
        writer.WritePropertyName("state");
        JsonSerializer.Serialize(writer, state, state?.GetType() ?? typeof(object), options);
        writer.WriteStartArray("events");
        long sent = 0;
        await foreach (var e in page.ReadAsync(cancellationToken))
        {
            WriteEvent(writer, e);
            // The writer fills the pipe's own buffers (no copy); send what they hold every FlushBytes so the client reads while we read.
            if (writer.BytesCommitted + writer.BytesPending - sent > FlushBytes)
            {
                writer.Flush();
                sent = writer.BytesCommitted;
                await body.FlushAsync(cancellationToken);
            }
        }
        writer.WriteEndArray();
        if (page.Next is { } n) writer.WriteNumber("next", n);
        else writer.WriteNull("next");
        writer.WriteEndObject();
        writer.Flush();
        await body.FlushAsync(cancellationToken);
    }

    // Each flush is a send on Kestrel's I/O thread: every 32 KiB made a 5,000-event page ≈100 sends and thread hops, ≈4 ms
    // more of the API's CPU than every 256 KiB; at 1 MiB the client waits longer for its first bytes (ADR 12, sixth round).
    private const int FlushBytes = 256 * 1024;

    /// <summary>One event of the page: property names encoded once (a 5,000-event page writes 65,000 of them).</summary>
    private static void WriteEvent(Utf8JsonWriter writer, StoredEvent e)
    {
        writer.WriteStartObject();
        writer.WriteNumber(Names.Position, e.Sequence);
        writer.WriteString(Names.StreamId, e.StreamId);
        writer.WriteNumber(Names.Version, e.Version);
        writer.WriteString(Names.EventId, e.EventId);
        writer.WriteString(Names.Type, e.EventType);
        writer.WriteNumber(Names.SchemaVersion, e.SchemaVersion);
        if (e.OccurredOn is { } occurred)
        {
            Span<byte> date = stackalloc byte[10];
            occurred.TryFormat(date, out var written, "O", System.Globalization.CultureInfo.InvariantCulture); // yyyy-MM-dd, without the custom-format parser
            writer.WriteString(Names.OccurredOn, date[..written]);
        }
        else writer.WriteNull(Names.OccurredOn);
        writer.WriteString(Names.RecordedAt, e.RecordedAt);
        WriteNullable(writer, Names.ActorId, e.ActorId);
        WriteNullable(writer, Names.ActorRole, e.ActorRole);
        WriteNullable(writer, Names.CorrelationId, e.CorrelationId);
        WriteNullable(writer, Names.CausationId, e.CausationId);
        writer.WritePropertyName(Names.Data);
        writer.WriteRawValue(e.Utf8Json, skipInputValidation: true); // jsonb from PostgreSQL: valid by construction
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }

    private static class Names
    {
        public static readonly JsonEncodedText Position = JsonEncodedText.Encode("position");
        public static readonly JsonEncodedText StreamId = JsonEncodedText.Encode("streamId");
        public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
        public static readonly JsonEncodedText EventId = JsonEncodedText.Encode("eventId");
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
        public static readonly JsonEncodedText SchemaVersion = JsonEncodedText.Encode("schemaVersion");
        public static readonly JsonEncodedText OccurredOn = JsonEncodedText.Encode("occurredOn");
        public static readonly JsonEncodedText RecordedAt = JsonEncodedText.Encode("recordedAt");
        public static readonly JsonEncodedText ActorId = JsonEncodedText.Encode("actorId");
        public static readonly JsonEncodedText ActorRole = JsonEncodedText.Encode("actorRole");
        public static readonly JsonEncodedText CorrelationId = JsonEncodedText.Encode("correlationId");
        public static readonly JsonEncodedText CausationId = JsonEncodedText.Encode("causationId");
        public static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");

        /// <summary>As an entry lists them (the CSV's columns).</summary>
        public static readonly JsonEncodedText[] InOrder =
            [Position, StreamId, Version, EventId, Type, SchemaVersion, OccurredOn, RecordedAt, ActorId, ActorRole, CorrelationId, CausationId, Data];
    }
}

/// <summary>A page of history; <c>state</c> is the organization folded under the same filters; pass <c>next</c> as <c>after</c>.</summary>
public sealed record OrganizationHistoryPage(Guid OrganizationId, string OrganizationType, DateOnly? AsOf, DateTimeOffset? RecordedBefore,
    IReadOnlyList<string> Streams, object? State, IReadOnlyList<HistoryEntry> Events, long? Next);

/// <summary>An organization's current state, either kind.</summary>
public sealed record OrganizationView(Guid Id, string OrganizationType, long Version, object State);

/// <summary>Whether every stream involved has an intact hash chain; the first failing event if not.</summary>
public sealed record OrganizationVerification(Guid OrganizationId, bool IsValid, long EventsChecked, ChainVerification? FirstFailure,
    IReadOnlyList<ChainVerification> Streams);
