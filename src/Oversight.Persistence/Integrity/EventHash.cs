using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Oversight.Persistence.Integrity;

/// <summary>
/// Tamper evidence. Each event has a content digest = SHA-256 of a canonical JSON array of its metadata and
/// payload; its chained hash = SHA-256(previous event's hash ‖ version as 8 bytes big-endian ‖ digest),
/// with an empty previous hash for version 1. append_events computes the chain in SQL the same way.
/// </summary>
public static class EventHash
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static byte[] ContentDigest(
        string streamId, Guid eventId, string eventType, int schemaVersion, DateTimeOffset recordedAt,
        DateOnly? occurredOn, string? actorId, string? actorRole, string? correlationId, string? causationId,
        string? idempotencyKey, ReadOnlySpan<byte> canonicalData)
    {
        // Called once per event on the write path: reuse one buffer and writer per thread.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, CanonicalJson.Options);
        writer.Reset(buffer);

        writer.WriteStartArray();
        writer.WriteStringValue(streamId);
        writer.WriteStringValue(eventId);
        writer.WriteStringValue(eventType);
        writer.WriteNumberValue(schemaVersion);
        writer.WriteNumberValue(UnixMicroseconds(recordedAt));
        if (occurredOn is { } date) writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        else writer.WriteNullValue();
        WriteNullable(writer, actorId);
        WriteNullable(writer, actorRole);
        WriteNullable(writer, correlationId);
        WriteNullable(writer, causationId);
        WriteNullable(writer, idempotencyKey);
        writer.WriteRawValue(canonicalData, skipInputValidation: true);
        writer.WriteEndArray();
        writer.Flush();
        return SHA256.HashData(buffer.WrittenSpan);
    }

    public static byte[] Chain(ReadOnlySpan<byte> previousHash, long version, ReadOnlySpan<byte> contentDigest)
    {
        Span<byte> input = stackalloc byte[previousHash.Length + 8 + contentDigest.Length];
        previousHash.CopyTo(input);
        BinaryPrimitives.WriteInt64BigEndian(input[previousHash.Length..], version);
        contentDigest.CopyTo(input[(previousHash.Length + 8)..]);
        return SHA256.HashData(input);
    }

    /// <summary>PostgreSQL keeps microseconds; hashing the truncated instant makes the stored value reproduce it.</summary>
    public static long UnixMicroseconds(DateTimeOffset instant) =>
        (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % 10), TimeSpan.Zero);

    private static void WriteNullable(Utf8JsonWriter writer, string? value)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value);
    }
}
