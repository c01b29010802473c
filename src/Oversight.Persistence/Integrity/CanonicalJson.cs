using System.Buffers;
using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Oversight.Persistence.Integrity;

/// <summary>
/// A canonical JSON form that survives a round trip through jsonb, which reorders keys, drops whitespace
/// and may respell numbers and escapes. Canonical: object members sorted by their canonical name bytes
/// (duplicate names are refused: jsonb would keep only the last), no whitespace, strings escaped minimally
/// (only <c>"</c>, <c>\</c> and control characters), and numbers as exact decimals in plain notation
/// (no exponent, no leading or trailing zeros, no negative zero) — never through binary floating point. Hashes are taken over this form on write and
/// re-derived from the stored jsonb on verification. Streams over a <see cref="Utf8JsonReader"/>: this
/// runs once per event on the write path, so it avoids building a document.
/// </summary>
public static class CanonicalJson
{
    public static JsonWriterOptions Options { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        if (!reader.Read()) throw new JsonException("Empty JSON.");
        var output = new ArrayBufferWriter<byte>(utf8Json.Length + 16);
        WriteValue(ref reader, output);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteValue(ref Utf8JsonReader reader, ArrayBufferWriter<byte> output)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                WriteObject(ref reader, output);
                break;
            case JsonTokenType.StartArray:
                Put(output, (byte)'[');
                var first = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!first) Put(output, (byte)',');
                    first = false;
                    WriteValue(ref reader, output);
                }
                Put(output, (byte)']');
                break;
            case JsonTokenType.String:
            case JsonTokenType.PropertyName:
                WriteString(ref reader, output);
                break;
            case JsonTokenType.Number:
                WriteNumber(reader.ValueSpan, output);
                break;
            case JsonTokenType.True:
                output.Write("true"u8);
                break;
            case JsonTokenType.False:
                output.Write("false"u8);
                break;
            default:
                output.Write("null"u8);
                break;
        }
    }

    private static void WriteObject(ref Utf8JsonReader reader, ArrayBufferWriter<byte> output)
    {
        // Members are written to a scratch buffer, then copied out in name order.
        var scratch = new ArrayBufferWriter<byte>(256);
        var members = new List<(int Name, int NameLength, int Value, int ValueLength)>(16);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = scratch.WrittenCount;
            WriteString(ref reader, scratch);
            var value = scratch.WrittenCount;
            reader.Read();
            WriteValue(ref reader, scratch);
            members.Add((name, value - name, value, scratch.WrittenCount - value));
        }
        var written = scratch.WrittenMemory;
        members.Sort((a, b) => written.Span.Slice(a.Name, a.NameLength).SequenceCompareTo(written.Span.Slice(b.Name, b.NameLength)));
        for (var i = 1; i < members.Count; i++)
        {
            if (written.Span.Slice(members[i].Name, members[i].NameLength).SequenceEqual(written.Span.Slice(members[i - 1].Name, members[i - 1].NameLength)))
                throw new JsonException($"Duplicate property {System.Text.Encoding.UTF8.GetString(written.Span.Slice(members[i].Name, members[i].NameLength))} in an event payload.");
        }

        Put(output, (byte)'{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0) Put(output, (byte)',');
            var (name, nameLength, value, valueLength) = members[i];
            output.Write(written.Span.Slice(name, nameLength));
            Put(output, (byte)':');
            output.Write(written.Span.Slice(value, valueLength));
        }
        Put(output, (byte)'}');
    }

    private static void WriteString(ref Utf8JsonReader reader, ArrayBufferWriter<byte> output)
    {
        Put(output, (byte)'"');
        if (!reader.ValueIsEscaped)
        {
            // Unescaped JSON text cannot hold '"', '\' or control characters: it is already canonical.
            output.Write(reader.ValueSpan);
        }
        else
        {
            var length = reader.ValueSpan.Length;
            var rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var unescaped = rented.AsSpan(0, reader.CopyString(rented));
                foreach (var b in unescaped)
                {
                    switch (b)
                    {
                        case (byte)'"': output.Write("\\\""u8); break;
                        case (byte)'\\': output.Write("\\\\"u8); break;
                        case < 0x20:
                            output.Write("\\u00"u8);
                            Put(output, Hex(b >> 4));
                            Put(output, Hex(b & 0xF));
                            break;
                        default: Put(output, b); break;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        Put(output, (byte)'"');
    }

    /// <summary>Largest exponent accepted; PostgreSQL's numeric holds 131,072 digits before the point.</summary>
    private const int MaxExponent = 100_000;

    private static void WriteNumber(ReadOnlySpan<byte> number, ArrayBufferWriter<byte> output)
    {
        var negative = number[0] == (byte)'-';
        var body = negative ? number[1..] : number;
        var exponentAt = body.IndexOfAny((byte)'e', (byte)'E');
        var mantissa = exponentAt < 0 ? body : body[..exponentAt];
        var exponent = 0;
        if (exponentAt >= 0 && (!Utf8Parser.TryParse(body[(exponentAt + 1)..], out exponent, out var used) || used != body.Length - exponentAt - 1
            || Math.Abs(exponent) > MaxExponent))
            throw new JsonException($"Number {System.Text.Encoding.UTF8.GetString(number)} is out of range.");

        var point = mantissa.IndexOf((byte)'.');
        var integerPart = point < 0 ? mantissa : mantissa[..point];
        var fractionPart = point < 0 ? [] : mantissa[(point + 1)..];

        // All significant digits, and where the decimal point falls among them.
        Span<byte> digits = integerPart.Length + fractionPart.Length <= 256 ? stackalloc byte[integerPart.Length + fractionPart.Length] : new byte[integerPart.Length + fractionPart.Length];
        integerPart.CopyTo(digits);
        fractionPart.CopyTo(digits[integerPart.Length..]);
        var pointAt = integerPart.Length + exponent;
        var start = 0;
        while (start < digits.Length && digits[start] == (byte)'0') start++;
        pointAt -= start;
        var end = digits.Length;
        while (end > start && digits[end - 1] == (byte)'0') end--;
        var significant = digits[start..end];

        if (significant.IsEmpty)
        {
            Put(output, (byte)'0');
            return;
        }
        if (negative) Put(output, (byte)'-');
        if (pointAt <= 0)
        {
            output.Write("0."u8);
            PutZeros(output, -pointAt);
            output.Write(significant);
        }
        else if (pointAt >= significant.Length)
        {
            output.Write(significant);
            PutZeros(output, pointAt - significant.Length);
        }
        else
        {
            output.Write(significant[..pointAt]);
            Put(output, (byte)'.');
            output.Write(significant[pointAt..]);
        }
    }

    private static void PutZeros(ArrayBufferWriter<byte> output, int count)
    {
        var span = output.GetSpan(count);
        span[..count].Fill((byte)'0');
        output.Advance(count);
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static void Put(ArrayBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }
}
