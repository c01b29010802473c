using System.Security.Cryptography;
using System.Text;
using Marten;
using Oversight.Api.Http;
using Oversight.Api.Security;
using Oversight.Domain.Common;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Reading;
using Oversight.ReadModels.History;

namespace Oversight.Api.Erasure;

/// <summary>Admins erase personal data on a legal request (ADR 13); the record and its hash chain stay verifiable.</summary>
internal static class ErasureApi
{
    private static readonly string SendingOrganizationStreamPrefix = Domain.SendingOrganizations.SendingOrganization.StreamId(Guid.Empty)[..^Guid.Empty.ToString().Length];

    public static IEndpointRouteBuilder MapErasures(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/admin/erasures", Erase).WithTags("Personal data").RequireAuthorization(Policies.Administer)
            .RequireRateLimiting(Hardening.WritesPolicy)
            .WithSummary("Erase the personal fields of an organization's record and/or of given events on a legal request; idempotent under Idempotency-Key")
            .Accepts<EraseRequest>("application/json")
            .Produces<ErasureResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> Erase(HttpContext http, IQuerySession session, EventReader reader, PersonalDataEraser eraser, TimeProvider clock,
        CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<EraseRequest>(http, ct);
        var v = new Validation();
        if (r.OrganizationId is null && r.EventIds is null) v.Add("organizationId", "Name the organization whose record holds the data, or the eventIds, or both.");
        var legalBasis = v.Text(r.LegalBasis, "legalBasis");
        var reference = v.OptionalText(r.Reference, "reference", 100);
        if (r.EventIds is { Count: 0 or > 1000 }) v.Add("eventIds", "Between 1 and 1,000 event ids, or leave it out for every event of the record.");
        v.ThrowIfInvalid();

        var record = r.OrganizationId is { } organizationId
            ? await OrganizationHistory.FindStreamsAsync(session, reader, organizationId, ct) ?? throw ApiProblemException.NotFound("organization", organizationId)
            : null;
        // A sending organization's MOC reports bear on every organization whose plans name it: erasing one organization's record
        // leaves them, unless the request names those events.
        IReadOnlyCollection<string>? streams = record is null ? null
            : r.EventIds is null ? [.. record.All.Where(s => !s.StartsWith(SendingOrganizationStreamPrefix, StringComparison.Ordinal))]
            : record.All;
        var actor = Actor.Of(http.User);
        var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        // Under an Idempotency-Key the request id is the caller's key: a retry finds the first erasure and answers it again.
        var requestId = key is null ? Guid.CreateVersion7() : new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"erasure\n{actor.Id}\n{key}")).AsSpan(0, 16));
        var metadata = new AppendMetadata
        {
            ActorId = actor.Id, ActorRole = actor.Role, IdempotencyKey = key,
            CorrelationId = Correlation.Of(http),
        };
        var result = await eraser.EraseAsync(new ErasureRequest(requestId, legalBasis, reference, r.OrganizationId, streams, r.EventIds),
            metadata, BusinessDates.TodayInTokyo(clock.GetUtcNow()), clock.GetUtcNow(), ct);
        var requested = r.EventIds?.Distinct().Order().ToList();
        if (result.AlreadyDone && (result.OrganizationId != r.OrganizationId || result.LegalBasis != legalBasis || result.Reference != reference
            || !(result.RequestedEventIds ?? []).SequenceEqual(requested ?? [])))
            throw new RuleViolation("idempotency-key-reused", "This Idempotency-Key was used for another erasure request.", "Idempotency-Key");
        var response = new ErasureResponse(result.RequestId, r.OrganizationId, result.Events.Count, result.Events);
        // A retry answers what the first request answered: the same body, 201.
        return Results.Json(response, statusCode: StatusCodes.Status201Created);
    }
}

/// <summary>The erasure recorded (stream <c>erasure-{requestId}</c>) and the events whose personal fields it erased.</summary>
public sealed record ErasureResponse(Guid RequestId, Guid? OrganizationId, int EventsErased, IReadOnlyList<ErasedEvent> Events);
