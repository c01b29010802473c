using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Oversight.EventStore.Integrity;

/// <summary>
/// A canonical JSON form that survives a round trip through jsonb, which reorders keys, drops whitespace
/// and may respell numbers and escapes. Canonical: object members sorted by their canonical name bytes,
/// no whitespace, strings escaped minimally (only <c>"</c>, <c>\</c> and control characters), integers
/// as integers and other numbers from their double value. Hashes are taken over this form on write and
/// re-derived from the stored jsonb on verification. Streams over a <see cref="Utf8JsonReader"/>: this
/// runs once per event on the write path, so it avoids building a document.
/// </summary>
internal static class CanonicalJson
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

    private static void WriteNumber(ReadOnlySpan<byte> number, ArrayBufferWriter<byte> output)
    {
        if (Utf8Parser.TryParse(number, out long integer, out var consumed) && consumed == number.Length)
        {
            WriteInteger(integer, output);
            return;
        }
        var value = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (value == Math.Floor(value) && Math.Abs(value) < 9.2e18)
        {
            WriteInteger((long)value, output);
            return;
        }
        Span<byte> text = stackalloc byte[32];
        value.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture);
        output.Write(text[..written]);
    }

    private static void WriteInteger(long value, ArrayBufferWriter<byte> output)
    {
        Span<byte> text = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, text, out var written);
        output.Write(text[..written]);
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static void Put(ArrayBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }
}
