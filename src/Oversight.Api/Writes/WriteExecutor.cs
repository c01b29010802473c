using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Oversight.Api.Http;
using Oversight.Api.Infrastructure;
using Oversight.Api.Security;
using Marten;
using Oversight.Domain.Common;
using Oversight.Persistence;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;
using Oversight.ReadModels.Storage;

namespace Oversight.Api.Writes;

/// <summary>
/// Runs a command as one transaction: replay a keyed retry, load, decide, append (chained, through a Marten session on
/// our transaction), claim unique numbers, remember the response under the Idempotency-Key, commit.
/// A rejected command leaves nothing behind. Without If-Match a concurrent change is retried on fresh
/// state; with If-Match it is a 412.
/// </summary>
internal sealed class WriteExecutor(IDocumentStore store, WriteDataSource writes, StorageOptions storage, TimeProvider clock,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, StreamStates states)
{
    /// <summary>Today in Tokyo by the injected clock.</summary>
    public DateOnly Today => BusinessDates.TodayInTokyo(clock.GetUtcNow());

    public const string IdempotencyHeader = "Idempotency-Key";

    public async Task<IResult> ExecuteAsync<TRequest>(HttpContext http, TRequest request,
        Func<WriteScope, CancellationToken, Task<WriteOutcome>> command, CancellationToken cancellationToken) where TRequest : notnull
    {
        var name = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        using var activity = ApiTelemetry.StartCommand(name);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = "rejected";
        try
        {
            var (result, replayed) = await RunAsync(http, request, command, cancellationToken);
            outcome = replayed ? "replayed" : "written";
            return result;
        }
        finally
        {
            activity?.SetTag("oversight.outcome", outcome);
            ApiTelemetry.RecordCommand(name, outcome, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<(IResult Result, bool Replayed)> RunAsync<TRequest>(HttpContext http, TRequest body,
        Func<WriteScope, CancellationToken, Task<WriteOutcome>> command, CancellationToken cancellationToken) where TRequest : notnull
    {
        var actor = Actor.Of(http.User);
        var key = IdempotencyKeyOf(http.Request);
        var ifMatch = IfMatchOf(http.Request);
        var metadata = new AppendMetadata
        {
            ActorId = actor.Id,
            ActorRole = actor.Role,
            // Keys are the caller's own: two callers may pick the same key without meeting in the store.
            IdempotencyKey = key is null ? null : $"{actor.Id}:{key}",
            CorrelationId = Correlation.Of(http),
        };

        var request = new WriteRequest(actor.Id, key, ifMatch, key is null ? null : RequestHash(http.Request, body), Today, metadata);
        try
        {
            // Someone else wrote first: the retry decides again on fresh state. A keyed duplicate finds the first one's response
            // (with If-Match too: otherwise the moved version is a 412 from WriteScope.LoadTargetAsync).
            return await ConcurrentWrites.Retry.ExecuteAsync(token => AttemptAsync(http, request, command, token), cancellationToken);
        }
        catch (Exception e) when (ConcurrentWrites.IsConcurrentWrite(e))
        {
            throw ApiProblemException.Conflict("concurrent-modification", "The resource kept changing while the request ran; try again.");
        }
    }

    /// <summary>What every attempt of one request shares.</summary>
    private sealed record WriteRequest(string ActorId, string? Key, long? IfMatch, byte[]? RequestHash, DateOnly Today, AppendMetadata Metadata);

    private async ValueTask<(IResult Result, bool Replayed)> AttemptAsync(HttpContext http, WriteRequest request,
        Func<WriteScope, CancellationToken, Task<WriteOutcome>> command, CancellationToken cancellationToken)
    {
        var (key, ifMatch, requestHash, schema) = (request.Key, request.IfMatch, request.RequestHash, storage.EventSchema);
        // Our transaction, with Marten's session on it. Two round trips: the first stream and the Idempotency-Key's record
        // (with BEGIN), Marten's batch (appends, chain, outbox, the idempotency record, COMMIT) (ADR 12).
        await using var connection = await writes.Source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: false));
        try
        {
            var lookup = key is null ? null : new IdempotencyRecords.Lookup(schema, request.ActorId, key);
            var scope = new WriteScope(session, schema, request.Today, ifMatch, lookup, states);
            WriteOutcome outcome;
            try
            {
                outcome = await command(scope, cancellationToken);
            }
            catch (IdempotencyRecords.FoundException found)
            {
                return (Replay(http, found.Record, requestHash!), true);
            }
            catch (Exception e) when (lookup is not null && (scope.LookupPending || IsRefusal(e)))
            {
                // Refused, before reading or on what it read: a retry of a write that succeeded still gets its first answer,
                // also when that write committed between the key's lookup and a read of another stream after it (each
                // statement sees the latest commit), which then shows the write done. A round trip on refusals only.
                if (await IdempotencyRecords.FindAsync(session, lookup, cancellationToken) is { } first) return (Replay(http, first, requestHash!), true);
                throw;
            }
            if (await scope.LookUpIfPendingAsync(cancellationToken) is { } stored) return (Replay(http, stored, requestHash!), true);

            if (await UniqueNumbers.ClaimAsync(connection, schema, scope.Claims, cancellationToken) is { } taken)
            {
                // The claim waited for a concurrent duplicate of this keyed request to commit: its answer is this one's.
                if (lookup is not null && await IdempotencyRecords.FindAsync(session, lookup, cancellationToken) is { } first)
                    return (Replay(http, first, requestHash!), true);
                throw ApiProblemException.Conflict("number-taken", $"{taken.Kind} {taken.Value} is already registered.");
            }

            var now = clock.GetUtcNow();
            var appended = scope.Appends.Select(a => session.AppendChained(a.StreamId, a.Head, a.Events, request.Metadata, now)).ToList();
            var version = scope.VersionAfter(outcome.TargetStream);
            // The body around the position, which only the append assigns: the stored record and this answer are built alike.
            var template = JsonSerializer.Serialize(new WriteResponse(outcome.Id, version, PositionMark), json.Value.SerializerOptions);
            var mark = template.LastIndexOf(PositionMarkText, StringComparison.Ordinal);
            var (before, after) = (template[..mark], template[(mark + PositionMarkText.Length)..]);
            var answer = new IdempotencyRecord(requestHash ?? [], outcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK,
                outcome.Location, ETag(version), Position: 0, Body: "");
            if (key is not null)
                session.QueueOperation(IdempotencyRecords.Insert(schema, request.ActorId, key, answer, before, after, appended: appended.Count > 0, now));
            if (appended.Count > 0 || key is not null)
            {
                session.QueueOperation(CommitInBatch.Instance); // the batch commits: no round trip of its own
                await session.SaveChangesAsync(cancellationToken);
            }
            else await transaction.CommitAsync(cancellationToken);
            scope.RememberCommitted(appended);

            var position = appended.Count == 0 ? 0 : appended.Max(a => a.Events.Max(e => e.Sequence));
            var record = answer with { Position = position, Body = before + position.ToString(System.Globalization.CultureInfo.InvariantCulture) + after };
            return (Respond(http, record, replayed: false), false);
        }
        catch (Exception e) when (ConcurrentWrites.IsConcurrentWrite(e) && ifMatch is not null && key is null)
        {
            throw ApiProblemException.PreconditionFailed("The resource changed while the request ran: read it again and decide anew.");
        }
        catch (Exception e) when (connection.State != System.Data.ConnectionState.Open && !ConcurrentWrites.IsConcurrentWrite(e)
                                  && e is not (ApiProblemException or OperationCanceledException))
        {
            throw new DatabaseFaults.ConnectionLostException(e); // 503: nothing committed (or a keyed retry replays what did)
        }
    }

    /// <summary>Stands for the position while the response is serialized; no id or version prints it.</summary>
    private const long PositionMark = long.MinValue;
    private static readonly string PositionMarkText = PositionMark.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The command refused the request on its input or on the state it read (the transaction is still usable).</summary>
    private static bool IsRefusal(Exception e) => e is ApiProblemException or RequestValidationException or RuleViolation or InvalidValue;

    private static IResult Replay(HttpContext http, IdempotencyRecord stored, byte[] requestHash)
    {
        if (!CryptographicOperations.FixedTimeEquals(stored.RequestHash, requestHash)) throw KeyReused();
        return Respond(http, stored, replayed: true);
    }

    private static IResult Respond(HttpContext http, IdempotencyRecord record, bool replayed)
    {
        http.Response.Headers.ETag = record.ETag;
        http.Response.Headers["X-Event-Position"] = record.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        if (record.Location is not null) http.Response.Headers.Location = record.Location;
        return Results.Content(record.Body, "application/json", Encoding.UTF8, record.Status);
    }

    public static string ETag(long version) => $"\"{version}\"";

    private static ApiProblemException KeyReused() =>
        new(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "Idempotency key reused",
            "This Idempotency-Key was already used for a different request; use a new key for a new request.", IdempotencyHeader);

    private static string? IdempotencyKeyOf(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(IdempotencyHeader, out var values)) return null;
        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > 200 || key.Any(c => c is < '!' or > '~'))
            throw RequestValidationException.For(IdempotencyHeader, "One key of 1–200 visible ASCII characters (a UUID is a good choice).");
        return key;
    }

    /// <summary>If-Match carries the ETag of a GET or an earlier write: the stream version, quoted (a weak W/ prefix is accepted).</summary>
    private static long? IfMatchOf(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (header.Length == 0 || header == "*") return null;
        var text = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        if (text.Length >= 3 && text[0] == '"' && text[^1] == '"' &&
            long.TryParse(text.AsSpan(1, text.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            return version;
        throw RequestValidationException.For("If-Match", "Send one ETag as returned by this API, e.g. \"3\".");
    }

    /// <summary>What the caller asked for (method, path, body as bound), so a retry is told apart from a new request reusing a key.</summary>
    private static byte[] RequestHash<TRequest>(HttpRequest request, TRequest body) where TRequest : notnull
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Requests);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        hash.AppendData(bytes);
        return hash.GetHashAndReset();
    }
}
