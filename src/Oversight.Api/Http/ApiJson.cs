using System.Text.Json;
using System.Text.Json.Serialization;

namespace Oversight.Api.Http;

/// <summary>
/// How request bodies are read: camelCase; enums only by name; numbers only as numbers; unknown members are
/// an error (a misspelt <c>occuredOn</c> must not silently become "no date").
/// </summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Requests { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
    });

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        return options;
    }
}
