using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oversight.Domain.Common;
using Oversight.Persistence.Events;

namespace Oversight.Persistence.Integrity;

/// <summary>How an event's personal fields stand: keyed digests still computable (<see cref="Key"/>), or erased with the digests kept.</summary>
public sealed record PersonalState(byte[]? Key, Guid? ErasedBy, IReadOnlyDictionary<string, string>? Digests)
{
    public static PersonalState None { get; } = new(null, null, null);
}

/// <summary>
/// The personal fields of every stored event type (<see cref="PersonalDataAttribute"/>) and what the hash chain commits to for them
/// (ADR 13): not the value but HMAC-SHA256(the event's random key, field name ‖ canonical value). The key sits in the event's headers,
/// outside the chain; an erasure replaces the values with <see cref="Marker"/>, keeps the digests in the headers and removes the key, so
/// the chain verifies and nothing can be recomputed or guessed from what remains. Events written before this (no key) commit to their values.
/// </summary>
public static class PersonalFields
{
    /// <summary>What an erased field holds.</summary>
    public const string Marker = "[erased]";

    private static readonly Dictionary<string, string[]> ByStoredType = EventNames.Domain
        .Select(e => (e.Name, Fields: e.Type.GetProperties().Where(p => p.GetCustomAttribute<PersonalDataAttribute>() is not null)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToArray()))
        .Where(e => e.Fields.Length > 0)
        .ToDictionary(e => e.Name, e => e.Fields, StringComparer.Ordinal);

    /// <summary>Stored type names that have personal fields.</summary>
    public static IReadOnlyCollection<string> Types => ByStoredType.Keys;

    /// <summary>The personal fields (JSON names) of a stored event type; empty when it has none.</summary>
    public static IReadOnlyList<string> Of(string storedType) => ByStoredType.TryGetValue(storedType, out var fields) ? fields : [];

    /// <summary>A fresh key for an event of <paramref name="storedType"/>, or null when it has no personal fields.</summary>
    public static byte[]? NewKey(string storedType) => ByStoredType.ContainsKey(storedType) ? RandomNumberGenerator.GetBytes(32) : null;

    /// <summary>
    /// The canonical payload the chain commits to. With a key, each personal field is replaced by <c>{"personal": digest}</c>; after
    /// an erasure by the recorded digest, and the field must hold <see cref="Marker"/> (anything else is tampering: throws
    /// <see cref="InvalidDataException"/>); without either, the payload as stored.
    /// </summary>
    public static byte[] ChainPayload(string storedType, string json, PersonalState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var fields = Of(storedType);
        if (fields.Count == 0 || (state.Key is null && state.Digests is null)) return CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json));
        var payload = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("The payload is not a JSON object.");
        foreach (var field in fields)
        {
            string digest;
            if (state.Digests is not null)
            {
                if (payload[field]?.GetValueKind() != JsonValueKind.String || payload[field]!.GetValue<string>() != Marker)
                    throw new InvalidDataException($"the erased field '{field}' holds a value");
                digest = state.Digests.TryGetValue(field, out var d) ? d : throw new InvalidDataException($"no digest was kept for the erased field '{field}'");
            }
            else digest = Digest(state.Key!, field, payload[field]);
            payload[field] = new JsonObject { ["personal"] = digest };
        }
        return CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(payload.ToJsonString()));
    }

    /// <summary>The digests of an event's personal fields under its key (what an erasure keeps).</summary>
    public static Dictionary<string, string> Digests(string storedType, string json, byte[] key)
    {
        var payload = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("The payload is not a JSON object.");
        return Of(storedType).ToDictionary(f => f, f => Digest(key, f, payload[f]), StringComparer.Ordinal);
    }

    /// <summary>The payload with every personal field replaced by <see cref="Marker"/>.</summary>
    public static string Erase(string storedType, string json)
    {
        var payload = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("The payload is not a JSON object.");
        foreach (var field in Of(storedType)) payload[field] = Marker;
        return payload.ToJsonString();
    }

    /// <summary>
    /// Reads an event's personal state from its stored headers (JSON object), as written by the chain and by erasures; a key that is not
    /// what the chain wrote throws <see cref="InvalidDataException"/> (tampering).
    /// </summary>
    public static PersonalState StateOf(JsonElement headers)
    {
        if (headers.ValueKind != JsonValueKind.Object) return PersonalState.None;
        if (headers.TryGetProperty(EventHeaders.Erasure, out var erasure) && erasure.ValueKind == JsonValueKind.Object)
        {
            var request = erasure.TryGetProperty("request", out var r) && r.ValueKind == JsonValueKind.String && Guid.TryParse(r.GetString(), out var id) ? id : Guid.Empty;
            var digests = erasure.TryGetProperty("digests", out var d) && d.ValueKind == JsonValueKind.Object
                ? d.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                : [];
            return new PersonalState(null, request, digests);
        }
        if (!headers.TryGetProperty(EventHeaders.PersonalKey, out var key) || key.ValueKind != JsonValueKind.String) return PersonalState.None;
        var hex = key.GetString()!;
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit)
            ? new PersonalState(Convert.FromHexString(hex), null, null)
            : throw new InvalidDataException("the event's personal-data key is not a 32-byte hex value");
    }

    private static string Digest(byte[] key, string field, JsonNode? value)
    {
        var canonical = CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(value?.ToJsonString() ?? "null"));
        var input = new byte[Encoding.UTF8.GetByteCount(field) + 1 + canonical.Length];
        var written = Encoding.UTF8.GetBytes(field, input);
        input[written] = 0;
        canonical.CopyTo(input.AsSpan(written + 1));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, input));
    }
}
