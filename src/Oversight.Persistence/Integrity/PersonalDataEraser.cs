using System.Text.Json;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Oversight.Domain.Common;
using Oversight.Persistence.Events;

namespace Oversight.Persistence.Integrity;

/// <summary>A legal request to erase personal data: of every event in <see cref="Streams"/>, or of <see cref="EventIds"/> (among them, when both are given).</summary>
public sealed record ErasureRequest(Guid RequestId, string LegalBasis, string? Reference, Guid? OrganizationId, IReadOnlyCollection<string>? Streams,
    IReadOnlyCollection<Guid>? EventIds);

/// <summary>What an erasure did (or had done, when the request was made before: <see cref="AlreadyDone"/>).</summary>
public sealed record ErasureResult(Guid RequestId, bool AlreadyDone, Guid? OrganizationId, string LegalBasis, string? Reference,
    IReadOnlyList<Guid>? RequestedEventIds, IReadOnlyList<ErasedEvent> Events);

/// <summary>
/// Erases personal fields (ADR 13) in one transaction: each targeted event's values become <see cref="PersonalFields.Marker"/>, its
/// key is removed and the digests the chain committed to are kept in its headers; a <see cref="PersonalDataErased"/> event, chained
/// in its own stream, records the request and its legal basis. Making the same request again changes nothing and answers the first result.
/// </summary>
public sealed class PersonalDataEraser(IDocumentStore store, NpgsqlDataSource dataSource, string schema)
{
    private string Events => $"\"{schema}\".mt_events";

    public async Task<ErasureResult> EraseAsync(ErasureRequest request, AppendMetadata metadata, DateOnly today, DateTimeOffset recordedAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Streams is null && request.EventIds is null) throw new ArgumentException("Name the streams or the events.", nameof(request));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One erasure per request at a time: a concurrent duplicate waits, then finds the first one's record.
        await using (var lockRequest = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            lockRequest.Parameters.Add(new NpgsqlParameter<string> { TypedValue = PersonalDataErased.StreamId(request.RequestId) });
            await lockRequest.ExecuteNonQueryAsync(cancellationToken);
        }
        if (await RecordedAsync(connection, transaction, request.RequestId, cancellationToken) is { } done) return done with { AlreadyDone = true };

        IReadOnlyList<Guid>? requested = request.EventIds?.Distinct().Order().ToList();
        var erased = new List<ErasedEvent>();
        var updates = new List<(Guid Id, string Data, string Digests)>();
        await using (var select = new NpgsqlCommand(
            $"SELECT id, stream_id, type, data::text, headers::text FROM {Events} WHERE ($1::text[] IS NULL OR stream_id = ANY($1)) AND type = ANY($2) " +
            "AND ($3::uuid[] IS NULL OR id = ANY($3)) AND NOT coalesce(headers ? 'erasure', false) ORDER BY seq_id FOR UPDATE", connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = request.Streams is null ? DBNull.Value : request.Streams.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            select.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. PersonalFields.Types] });
            select.Parameters.Add(new NpgsqlParameter { Value = request.EventIds is null ? DBNull.Value : request.EventIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var (id, stream, type, data) = (reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
                using var headers = JsonDocument.Parse(reader.IsDBNull(4) ? "{}" : reader.GetString(4));
                PersonalState state;
                try
                {
                    state = PersonalFields.StateOf(headers.RootElement);
                }
                catch (InvalidDataException)
                {
                    throw new RuleViolation("not-erasable", $"Event {id}'s personal-data key was altered: verify the record before erasing.", "eventIds");
                }
                var key = state.Key ?? throw new RuleViolation("not-erasable",
                    $"Event {id} was recorded before personal fields were committed to as digests: erasing it would break its stream's hash chain.", "eventIds");
                updates.Add((id, PersonalFields.Erase(type, data), JsonSerializer.Serialize(PersonalFields.Digests(type, data, key))));
                erased.Add(new ErasedEvent(id, stream, PersonalFields.Of(type)));
            }
        }
        if (erased.Count == 0)
            throw new RuleViolation("nothing-to-erase", "No event with personal data that is not already erased matches the request.", request.EventIds is null ? null : "eventIds");
        if (request.EventIds is not null && request.EventIds.Except(erased.Select(e => e.EventId)).FirstOrDefault() is var missing && missing != Guid.Empty)
            throw new RuleViolation("not-erasable", $"Event {missing} is not one of this record's events with personal data still present.", "eventIds");

        var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (id, data, digests) in updates)
        {
            var update = new NpgsqlBatchCommand(
                $"UPDATE {Events} SET data = $1::jsonb, headers = (coalesce(headers, '{{}}'::jsonb) - '{EventHeaders.PersonalKey}') || " +
                $"jsonb_build_object('{EventHeaders.Erasure}', jsonb_build_object('request', $2::text, 'digests', $3::jsonb)) WHERE id = $4");
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = data });
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.RequestId.ToString() });
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = digests });
            update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            batch.BatchCommands.Add(update);
        }
        await using (batch) await batch.ExecuteNonQueryAsync(cancellationToken);

        await using (var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            var record = new PersonalDataErased(request.RequestId, request.LegalBasis, request.Reference, request.OrganizationId, erased, requested);
            session.AppendChained(PersonalDataErased.StreamId(request.RequestId), ChainHead.Empty, [new PendingEvent(record, today)], metadata, recordedAt);
            await session.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new ErasureResult(request.RequestId, false, request.OrganizationId, request.LegalBasis, request.Reference, requested, erased);
    }

    private async Task<ErasureResult?> RecordedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid requestId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT data::text FROM {Events} WHERE stream_id = $1 AND version = 1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = PersonalDataErased.StreamId(requestId) });
        if (await command.ExecuteScalarAsync(ct) is not string json) return null;
        var record = JsonSerializer.Deserialize<PersonalDataErased>(json, JsonSerializerOptions.Web)!;
        return new ErasureResult(requestId, true, record.OrganizationId, record.LegalBasis, record.Reference, record.RequestedEventIds, record.Events);
    }
}
