using System.Globalization;
using System.Text.Json.Nodes;
using Oversight.Api.Tests.Support;

namespace Oversight.Api.Tests.BadInput;

/// <summary>Who sends a bad-input request.</summary>
public enum Caller
{
    /// <summary>A role the endpoint allows.</summary>
    Allowed,
    Anonymous,
    ExpiredToken,
    TokenSignedWithAnotherKey,
    WrongRole,
}

/// <summary>
/// One way to get a write wrong: the body made from the endpoint's valid one, how it is sent, the status expected and the
/// members the problem's <c>errors</c> must name (<paramref name="Exact"/>: and no others).
/// </summary>
public sealed record BadInputCase(string Name, int Status, string[] Fields, Func<JsonObject, string> Body, string ContentType = "application/json",
    Caller Caller = Caller.Allowed, bool Exact = false);

public static class BadInputCases
{
    public static IEnumerable<BadInputCase> For(WriteEndpoint endpoint)
    {
        yield return new("malformed JSON", 400, ["$"], _ => "{\"name\" \"x\"");
        yield return new("truncated JSON", 400, [], _ => "{");
        yield return new("a JSON array", 400, ["$"], _ => "[]");
        yield return new("a JSON null", 400, ["$"], _ => "null");
        yield return new("a JSON string", 400, ["$"], _ => "\"hello\"");
        yield return new("an empty body", 400, ["$"], _ => "");
        yield return new("every required member missing", 400, endpoint.Required, _ => "{}", Exact: true);
        yield return new("an unknown member", 400, ["occuredOn"], b => With(b, "occuredOn", "2023-01-01"));

        foreach (var field in endpoint.Required)
        {
            yield return new($"{field} missing", 400, [field], b => Without(b, field));
            yield return new($"{field} null", 400, [field], b => With(b, field, null));
        }

        foreach (var (field, kind) in endpoint.Fields())
        {
            foreach (var c in ByKind(field, kind, endpoint.Required.Contains(field))) yield return c;
            foreach (var c in ByName(field)) yield return c;
        }

        foreach (var (from, to) in endpoint.Periods)
            yield return new($"{to} before {from}", 400, [to], b => With(b, to, DayBefore(b[from]!.GetValue<string>())));

        yield return new("a body over 64 KiB", 413, [], b => b.ToJsonString() + new string(' ', 70 * 1024));
        yield return new("text/plain", 415, [], b => b.ToJsonString(), ContentType: "text/plain");
        yield return new("no token", 401, [], b => b.ToJsonString(), Caller: Caller.Anonymous);
        yield return new("an expired token", 401, [], b => b.ToJsonString(), Caller: Caller.ExpiredToken);
        yield return new("a token signed with another key", 401, [], b => b.ToJsonString(), Caller: Caller.TokenSignedWithAnotherKey);
        yield return new("a role not allowed", 403, [], b => b.ToJsonString(), Caller: Caller.WrongRole);
    }

    private static IEnumerable<BadInputCase> ByKind(string field, FieldKind kind, bool required)
    {
        switch (kind)
        {
            case FieldKind.Text:
                yield return new($"{field} as a number", 400, [field], b => With(b, field, 42));
                yield return new($"{field} as an object", 400, [field], b => With(b, field, new JsonObject()));
                yield return new($"{field} too long", 400, [field], b => With(b, field, new string('x', 9000)));
                yield return new($"{field} with a NUL character", 400, [field], b => With(b, field, "a\u0000b"));
                if (required) yield return new($"{field} blank", 400, [field], b => With(b, field, "   "));
                break;
            case FieldKind.Date:
                yield return new($"{field} as a number", 400, [field], b => With(b, field, 20230101));
                yield return new($"{field} not a calendar date", 400, [field], b => With(b, field, "2023-02-30"));
                yield return new($"{field} as an instant", 400, [field], b => With(b, field, "2023-01-01T00:00:00+09:00"));
                yield return new($"{field} in 1899", 400, [field], b => With(b, field, "1899-01-01"));
                yield return new($"{field} in 2200", 400, [field], b => With(b, field, "2200-01-01"));
                break;
            case FieldKind.Number:
                yield return new($"{field} as a string", 400, [field], b => With(b, field, "3"));
                yield return new($"{field} as a fraction", 400, [field], b => With(b, field, 1.5));
                yield return new($"{field} negative", 400, [field], b => With(b, field, -1));
                yield return new($"{field} past Int32", 400, [field], b => With(b, field, 2_147_483_648L));
                break;
            case FieldKind.Boolean:
                yield return new($"{field} as a string", 400, [field], b => With(b, field, "true"));
                yield return new($"{field} as a number", 400, [field], b => With(b, field, 1));
                break;
            case FieldKind.Uuid:
                yield return new($"{field} not a UUID", 400, [field], b => With(b, field, "not-a-uuid"));
                yield return new($"{field} as a number", 400, [field], b => With(b, field, 1));
                break;
            case FieldKind.Enum:
                yield return new($"{field} an unknown value", 400, [field], b => With(b, field, "Bogus"));
                yield return new($"{field} as an integer", 400, [field], b => With(b, field, 0));
                yield return new($"{field} as an integer string", 400, [field], b => With(b, field, "0"));
                break;
            case FieldKind.EnumList:
                yield return new($"{field} a string, not a list", 400, [field], b => With(b, field, "HighDisappearanceRate"));
                yield return new($"{field} with an unknown value", 400, [$"{field}[0]"], b => With(b, field, new JsonArray("Bogus")));
                yield return new($"{field} with an integer", 400, [$"{field}[0]"], b => With(b, field, new JsonArray(0)));
                yield return new($"{field} empty", 400, [field], b => With(b, field, new JsonArray()));
                break;
            case FieldKind.TextList:
                yield return new($"{field} a string, not a list", 400, [field], b => With(b, field, "認1711001206"));
                yield return new($"{field} with a number", 400, [$"{field}[0]"], b => With(b, field, new JsonArray(1)));
                break;
            case FieldKind.UuidList:
                yield return new($"{field} a string, not a list", 400, [field], b => With(b, field, Guid.Empty.ToString()));
                yield return new($"{field} with a non-UUID", 400, [$"{field}[0]"], b => With(b, field, new JsonArray("not-a-uuid")));
                break;
        }
    }

    /// <summary>Members with a format of their own: corporate, permit and plan numbers, prefectures, countries, legal bases.</summary>
    private static IEnumerable<BadInputCase> ByName(string field)
    {
        switch (field)
        {
            case "corporateNumber":
                yield return new("corporateNumber with a bad check digit", 400, [field], b => With(b, field, BadCheckDigit(b[field]!.GetValue<string>())));
                yield return new("corporateNumber of 12 digits", 400, [field], b => With(b, field, b[field]!.GetValue<string>()[1..]));
                yield return new("corporateNumber with a letter", 400, [field], b => With(b, field, "A" + b[field]!.GetValue<string>()[1..]));
                break;
            case "prefecture":
                yield return new("prefecture 48", 400, [field], b => With(b, field, "48"));
                yield return new("prefecture 00", 400, [field], b => With(b, field, "00"));
                yield return new("prefecture by name", 400, [field], b => With(b, field, "Tokyo"));
                break;
            case "country" or "sendingCountry":
                yield return new($"{field} XX", 400, [field], b => With(b, field, "XX"));
                yield return new($"{field} in lower case", 400, [field], b => With(b, field, "vn"));
                yield return new($"{field} alpha-3", 400, [field], b => With(b, field, "VNM"));
                break;
            case "permitNumber":
                yield return new("permitNumber too short", 400, [field], b => With(b, field, "許123"));
                yield return new("permitNumber without 許", 400, [field], b => With(b, field, "1708000404"));
                break;
            case "planNumber":
                yield return new("planNumber too short", 400, [field], b => With(b, field, "認12345"));
                yield return new("planNumber with a permit prefix", 400, [field], b => With(b, field, "許1711001206"));
                break;
            case "planNumbers":
                yield return new("planNumbers with a malformed number", 400, ["planNumbers[0]"], b => With(b, field, new JsonArray("認12")));
                break;
            case "legalBasis":
                yield return new("legalBasis malformed", 400, [field], b => With(b, field, "Article 37"));
                yield return new("legalBasis with an unknown item", 400, [field], b => With(b, field, "Art.37(1)(xi)"));
                break;
        }
    }

    private static string With(JsonObject body, string field, JsonNode? value)
    {
        var copy = (JsonObject)body.DeepClone();
        copy[field] = value;
        return copy.ToJsonString();
    }

    private static string Without(JsonObject body, string field)
    {
        var copy = (JsonObject)body.DeepClone();
        copy.Remove(field);
        return copy.ToJsonString();
    }

    private static string DayBefore(string date) =>
        DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string BadCheckDigit(string number) => (char)('0' + (number[0] - '0' + 1) % 10) + number[1..];
}
