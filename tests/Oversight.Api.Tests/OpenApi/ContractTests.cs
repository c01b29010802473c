using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oversight.Api.Tests.Support;

namespace Oversight.Api.Tests.OpenApi;

/// <summary>
/// Cases derived from the served OpenAPI document itself, for every POST: its example is accepted; removing each
/// required member is a 400 naming it; removing each optional member is not (a rule may still refuse it in context: 422); and every limit the document states
/// (pattern, enum, length, range, items, date range, no unknown members, null) is enforced, while what it allows is not refused as malformed.
/// </summary>
public sealed class ContractTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    /// <summary>Members that name something in the database or must be unique: taken from the catalogue's body for a fresh world.</summary>
    private static readonly string[] Identities = ["permitNumber", "corporateNumber", "planNumber", "planNumbers", "country"];

    private ApiFactory Api => fixture.Api;

    public static TheoryData<string> Endpoints => WriteEndpoints.Keys;

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task The_documented_example_is_accepted(string endpoint)
    {
        var write = WriteEndpoints.Get(endpoint);
        var contract = await ContractAsync(write);
        var world = await World.CreateAsync(Api);
        var valid = write.Body(world);
        var body = contract.Example.DeepClone().AsObject();
        // The example's ids name nothing in this database: the fresh world's take their place, and so do unique numbers.
        foreach (var (name, schema) in contract.Properties)
        {
            if ((IsUuid(schema) || Identities.Contains(name)) && body.ContainsKey(name))
                body[name] = valid[name]?.DeepClone();
        }
        using var client = Api.As(write.Role);
        await (await client.PostJsonAsync(write.Path(world), body.ToJsonString())).Expect(write.Creates ? HttpStatusCode.Created : HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Removing_each_required_member_is_a_400_naming_it(string endpoint)
    {
        var write = WriteEndpoints.Get(endpoint);
        var contract = await ContractAsync(write);
        Assert.Equal(write.Required.Order(StringComparer.Ordinal), contract.Required.Order(StringComparer.Ordinal));

        using var client = Api.As(write.Role);
        foreach (var member in contract.Required)
        {
            var body = write.Body(fixture.World);
            Assert.True(body.Remove(member), $"the catalogue's body of {endpoint} lacks the required {member}");
            var problem = await (await client.PostJsonAsync(write.Path(fixture.World), body.ToJsonString())).ExpectProblem(HttpStatusCode.BadRequest, "invalid-request");
            Assert.True(problem.GetProperty("errors").TryGetProperty(member, out _), $"{endpoint} without {member}: {problem}");
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Removing_each_optional_member_is_not_a_400(string endpoint)
    {
        var write = WriteEndpoints.Get(endpoint);
        var contract = await ContractAsync(write);
        using var client = Api.As(write.Role);
        foreach (var member in contract.Properties.Keys.Except(contract.Required))
        {
            var world = await World.CreateAsync(Api);
            var body = write.Body(world);
            body.Remove(member);
            // Well-formed without it; a rule may still need it in context (e.g. a 7-year renewal needs ratedExcellent): a 422, not a 400.
            var response = await client.PostJsonAsync(write.Path(world), body.ToJsonString());
            Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.UnprocessableEntity,
                $"{endpoint} without {member}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_documented_limit_is_enforced(string endpoint)
    {
        var write = WriteEndpoints.Get(endpoint);
        var contract = await ContractAsync(write);
        using var client = Api.As(write.Role);
        var failures = new List<string>();

        foreach (var probe in Probes(contract, write.Body(fixture.World)))
        {
            var body = write.Body(fixture.World);
            body[probe.Member] = probe.Value?.DeepClone();
            var response = await client.PostJsonAsync(write.Path(fixture.World), body.ToJsonString());
            var text = await response.Content.ReadAsStringAsync();
            var named = response.StatusCode == HttpStatusCode.BadRequest
                && JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Any(e => e.Name == probe.Member || e.Name.StartsWith(probe.Member + "[", StringComparison.Ordinal));
            if (named != probe.Refused)
                failures.Add($"{probe.Member} = {probe.Value?.ToJsonString() ?? "null"} ({probe.Why}): {(int)response.StatusCode} {text}");
        }
        Assert.True(failures.Count == 0, $"{endpoint}:\n" + string.Join('\n', failures));
    }

    private sealed record Probe(string Member, JsonNode? Value, bool Refused, string Why);

    /// <summary>Values just outside (refused) and, where the document allows it, just inside (not refused) each stated limit.</summary>
    private static IEnumerable<Probe> Probes(Contract contract, JsonObject valid)
    {
        yield return new("unexpectedMember", "x", true, "additionalProperties: false");
        foreach (var (name, schema) in contract.Properties)
        {
            var required = contract.Required.Contains(name);
            var types = Types(schema);
            if (required) yield return new(name, null, true, "required, not nullable");
            else if (valid.ContainsKey(name)) yield return new(name, null, false, "optional: null is absent");

            if (schema.TryGetProperty("maxLength", out var max))
            {
                yield return new(name, new string('a', max.GetInt32() + 1), true, "maxLength");
                if (!schema.TryGetProperty("pattern", out var p) || p.GetString() == @"\S") yield return new(name, new string('a', max.GetInt32()), false, "maxLength");
            }
            if (schema.TryGetProperty("pattern", out var pattern))
            {
                if (pattern.GetString() == @"\S") yield return new(name, "   ", true, "blank");
                else
                {
                    yield return new(name, "x", true, "pattern");
                    if (valid[name] is JsonValue v) yield return new(name, v.GetValue<string>() + "\n", true, "pattern is anchored at the very end");
                }
            }
            if (schema.TryGetProperty("enum", out var codes))
            {
                var allowed = codes.EnumerateArray().Select(c => c.GetString()).ToHashSet();
                yield return new(name, new[] { "XX", "ZZ", "00", "48", "99" }.First(c => !allowed.Contains(c)), true, "enum");
                if (allowed.FirstOrDefault(c => c != c!.ToLowerInvariant()) is { } cased) yield return new(name, cased.ToLowerInvariant(), true, "enum is case-sensitive");
            }
            if (contract.EnumOf(schema) is { } values)
            {
                yield return new(name, "NotAValue", true, "enum");
                yield return new(name, values[0].ToLowerInvariant(), true, "enum is case-sensitive");
                yield return new(name, 0, true, "enum by name only");
            }
            if (schema.TryGetProperty("minimum", out var minimum))
            {
                yield return new(name, minimum.GetInt32() - 1, true, "minimum");
                yield return new(name, minimum.GetInt32(), false, "minimum");
            }
            if (schema.TryGetProperty("maximum", out var maximum))
            {
                yield return new(name, maximum.GetInt32() + 1, true, "maximum");
                yield return new(name, maximum.GetInt32(), false, "maximum");
            }
            if (types.Contains("integer"))
            {
                yield return new(name, "3", true, "a number, not a string");
                yield return new(name, 1.5, true, "an integer");
            }
            if (types.Contains("boolean")) yield return new(name, "true", true, "a boolean, not a string");
            if (schema.TryGetProperty("format", out var format) && format.GetString() == "date")
            {
                foreach (var bad in new[] { "2023-02-30", "2023/06/01", "1999-12-31", "2100-01-01" }) yield return new(name, bad, true, "a date from 2000-01-01 to 2099-12-31");
            }
            if (IsUuid(schema) && !types.Contains("array")) yield return new(name, "not-a-uuid", true, "uuid");
            if (types.Contains("array"))
            {
                var items = schema.GetProperty("items");
                var item = valid[name] is JsonArray { Count: > 0 } some ? some[0] : null;
                if (schema.TryGetProperty("maxItems", out var most) && item is not null)
                    yield return new(name, new JsonArray(Enumerable.Range(0, most.GetInt32() + 1).Select(_ => item.DeepClone()).ToArray()), true, "maxItems");
                if (schema.TryGetProperty("minItems", out var fewest) && fewest.GetInt32() > 0) yield return new(name, new JsonArray(), true, "minItems");
                if (items.TryGetProperty("pattern", out _)) yield return new(name, new JsonArray("x"), true, "items' pattern");
                if (IsUuid(items)) yield return new(name, new JsonArray("not-a-uuid"), true, "items are uuids");
                if (contract.EnumOf(items) is not null) yield return new(name, new JsonArray("NotAValue"), true, "items' enum");
            }
        }
    }

    private static HashSet<string> Types(JsonElement schema) => !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToHashSet() : [type.GetString()!];

    private static bool IsUuid(JsonElement schema) =>
        (schema.TryGetProperty("format", out var f) && f.GetString() == "uuid")
        || (schema.TryGetProperty("items", out var items) && items.TryGetProperty("format", out var g) && g.GetString() == "uuid");

    /// <summary>A request body's schema as the document states it, with the example clients copy.</summary>
    private sealed record Contract(JsonElement Document, JsonObject Example, IReadOnlyList<string> Required, IReadOnlyDictionary<string, JsonElement> Properties)
    {
        /// <summary>The values of the enum a member refers to (directly or as <c>oneOf: [null, $ref]</c>), or null.</summary>
        public IReadOnlyList<string>? EnumOf(JsonElement schema)
        {
            var reference = schema.TryGetProperty("$ref", out var r) ? r.GetString()
                : schema.TryGetProperty("oneOf", out var choices) ? choices.EnumerateArray().Select(c => c.TryGetProperty("$ref", out var x) ? x.GetString() : null).FirstOrDefault(x => x is not null)
                : null;
            if (reference is null) return null;
            var target = Document.GetProperty("components").GetProperty("schemas").GetProperty(reference.Split('/')[^1]);
            return target.TryGetProperty("enum", out var values) ? values.EnumerateArray().Select(v => v.GetString()!).ToList() : null;
        }
    }

    private async Task<Contract> ContractAsync(WriteEndpoint write)
    {
        using var anonymous = Api.CreateClient();
        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
        var template = OpenApiPaths.Template(write.Path(World.Placeholder));
        var path = document.GetProperty("paths").EnumerateObject().Single(p => OpenApiPaths.Template(p.Name) == template);
        var media = path.Value.GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(media.GetProperty("schema").GetProperty("$ref").GetString()!.Split('/')[^1]);
        return new Contract(
            document,
            JsonNode.Parse(media.GetProperty("example").GetRawText())!.AsObject(),
            schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToList() : [],
            schema.GetProperty("properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value));
    }
}
