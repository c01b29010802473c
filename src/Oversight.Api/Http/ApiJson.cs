using System.Text.Json;
using System.Text.Json.Serialization;

namespace Oversight.Api.Http;

/// <summary>
/// How request bodies are read: camelCase; enums only by their exact names; numbers only as numbers; unknown members
/// are an error (a misspelt <c>occuredOn</c> must not silently become "no date").
/// </summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Requests { get; } = CreateRequests();

    /// <summary>
    /// The HTTP JSON options: they write responses and describe every schema of the OpenAPI document, which lists enums
    /// from the string enum converter (a custom converter would leave them undescribed).
    /// </summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        return options;
    }

    private static JsonSerializerOptions CreateRequests()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            MaxDepth = 16,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new ExactEnumConverter());
        return options;
    }
}
