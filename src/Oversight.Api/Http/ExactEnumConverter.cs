using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Oversight.Api.Http;

/// <summary>
/// Enums as their names, read exactly as the contract lists them: System.Text.Json's string enum converter also
/// accepts any casing ("general") and, for [Flags], comma lists, which the OpenAPI document does not allow.
/// </summary>
internal sealed class ExactEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly FrozenDictionary<string, T> ByName = Enum.GetValues<T>().ToFrozenDictionary(v => v.ToString(), StringComparer.Ordinal);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && ByName.TryGetValue(reader.GetString()!, out var value) ? value
            : throw new JsonException(); // no message: System.Text.Json writes its own, with the path

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
