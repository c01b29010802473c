using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Oversight.Api.Http;

namespace Oversight.Api.OpenApi;

/// <summary>
/// Writes what a request body's handler validates into its schema, from the attributes on the request record:
/// <see cref="RequiredAttribute"/> (required and not null; every other member may be absent or null),
/// <see cref="StringLengthAttribute"/>, <see cref="RangeAttribute"/>, <see cref="RegularExpressionAttribute"/>,
/// <see cref="MinLengthAttribute"/>/<see cref="MaxLengthAttribute"/> on lists, <see cref="CodeListAttribute"/> and
/// <see cref="EachMatchesAttribute"/>; dates carry the range <see cref="Validation"/> accepts.
/// The handlers validate imperatively (with the domain's parsers); the document-driven contract tests hold the two together.
/// </summary>
internal static class RequestContract
{
    /// <summary>A required text must hold a non-blank character (blank counts as missing).</summary>
    private const string NotBlank = @"\S";

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { } property)
        {
            if (IsRequest(property.DeclaringType)) Describe(schema, property);
        }
        else if (IsRequest(context.JsonTypeInfo.Type) && context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object)
        {
            schema.Required = context.JsonTypeInfo.Properties.Where(p => Attribute<RequiredAttribute>(p) is not null).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            schema.AdditionalPropertiesAllowed = false; // ApiJson refuses unknown members
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A required member that refers to another schema (an enum) is written <c>oneOf: [null, $ref]</c> after the schema
    /// transformers ran; null is not accepted there, so only the reference stays.
    /// </summary>
    public static Task TransformDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var (name, schema) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (!name.EndsWith("Request", StringComparison.Ordinal) || schema is not OpenApiSchema { Properties: { } properties, Required: { } required }) continue;
            foreach (var member in required)
            {
                if (properties.TryGetValue(member, out var property) && property is OpenApiSchema { OneOf: { Count: 2 } choices }
                    && choices.SingleOrDefault(c => c.Type != JsonSchemaType.Null) is { } referenced)
                    properties[member] = referenced;
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The bodies our handlers read: records named <c>…Request</c> in this assembly.</summary>
    private static bool IsRequest(Type type) =>
        type.Assembly == typeof(RequestContract).Assembly && type.Name.EndsWith("Request", StringComparison.Ordinal);

    private static void Describe(OpenApiSchema schema, JsonPropertyInfo property)
    {
        var required = Attribute<RequiredAttribute>(property) is not null;
        if (required) ForbidNull(schema);

        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(DateOnly))
            schema.Description = Join(schema.Description, $"A date from {Validation.EarliestDate:yyyy-MM-dd} to {Validation.LatestDate:yyyy-MM-dd}.");

        if (Attribute<StringLengthAttribute>(property) is { } length)
        {
            schema.MaxLength = length.MaximumLength;
            if (required) schema.MinLength = 1;
        }
        var codes = Attribute<CodeListAttribute>(property);
        if (Attribute<RegularExpressionAttribute>(property) is { } regex) schema.Pattern = regex.Pattern;
        else if (required && type == typeof(string) && codes is null) schema.Pattern = NotBlank;

        if (Attribute<RangeAttribute>(property) is { } range)
        {
            schema.Minimum = Convert.ToString(range.Minimum, CultureInfo.InvariantCulture);
            schema.Maximum = Convert.ToString(range.Maximum, CultureInfo.InvariantCulture);
        }
        if (Attribute<MinLengthAttribute>(property) is { } fewest) schema.MinItems = fewest.Length;
        if (Attribute<MaxLengthAttribute>(property) is { } most) schema.MaxItems = most.Length;
        if (codes is not null) schema.Enum = codes.Codes.Select(c => (JsonNode)JsonValue.Create(c)).ToList();
        if (Attribute<EachMatchesAttribute>(property) is { } each && schema.Items is OpenApiSchema items) items.Pattern = each.Pattern;
    }

    private static void ForbidNull(OpenApiSchema schema)
    {
        if (schema.Type is { } type) schema.Type = type & ~JsonSchemaType.Null;
    }

    private static string Join(string? description, string sentence) => string.IsNullOrEmpty(description) ? sentence : $"{description} {sentence}";

    /// <summary>Attributes of a positional record's member sit on its constructor parameter.</summary>
    private static T? Attribute<T>(JsonPropertyInfo property) where T : Attribute =>
        Find<T>(property.AssociatedParameter?.AttributeProvider) ?? Find<T>(property.AttributeProvider);

    private static T? Find<T>(ICustomAttributeProvider? provider) where T : Attribute =>
        provider?.GetCustomAttributes(typeof(T), inherit: true).OfType<T>().FirstOrDefault();
}
