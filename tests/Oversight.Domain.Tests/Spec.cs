using System.Text.Json;
using System.Text.Json.Serialization;
using Oversight.Domain.Common;

namespace Oversight.Domain.Tests;

/// <summary>Given/When/Then for the pure rules: fold the given events, run the command, compare events or the named rejection.</summary>
internal static class Spec
{
    public static TState? Given<TState>(Func<TState?, object, TState?> evolve, params object[] events) where TState : class =>
        events.Aggregate((TState?)null, evolve);

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Compares events by type and JSON form: records compare list members by reference, their JSON by content (and it reads well in a failure).</summary>
    public static void Then(IEnumerable<object> actual, params object[] expected) =>
        Assert.Equal(expected.Select(Describe), actual.Select(Describe));

    private static string Describe(object e) => $"{e.GetType().Name} {JsonSerializer.Serialize(e, e.GetType(), Json)}";

    public static RuleViolation Rejected(string code, Action when)
    {
        var violation = Assert.Throws<RuleViolation>(when);
        Assert.Equal(code, violation.Code);
        return violation;
    }

    public static RuleViolation Rejected(string code, string field, Action when)
    {
        var violation = Rejected(code, when);
        Assert.Equal(field, violation.Field);
        return violation;
    }

    public static InvalidValue Invalid(string field, Action when)
    {
        var invalid = Assert.Throws<InvalidValue>(when);
        Assert.Equal(field, invalid.Field);
        return invalid;
    }

    public static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
