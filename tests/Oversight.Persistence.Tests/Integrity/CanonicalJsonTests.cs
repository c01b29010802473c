using System.Text;
using System.Text.Json;
using Oversight.Persistence.Integrity;

namespace Oversight.Persistence.Tests.Integrity;

public sealed class CanonicalJsonTests
{
    private static string Canonical(string json) => Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"b":1,"a":2}""", """{"a":2,"b":1}""")]
    [InlineData("""{ "z" : [ 3, { "y": true, "x": null } ] , "a": "s" }""", """{"a":"s","z":[3,{"x":null,"y":true}]}""")]
    [InlineData("1.50", "1.5")]
    [InlineData("100", "100")]
    [InlineData("1e2", "100")]
    [InlineData("1.0E+2", "100")]
    [InlineData("12.5e-3", "0.0125")]
    [InlineData("-0", "0")]
    [InlineData("-0.000", "0")]
    [InlineData("0.000120", "0.00012")]
    [InlineData("-7", "-7")]
    [InlineData("1234567890.123456789012345678901234567890", "1234567890.12345678901234567890123456789")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    [InlineData("\"\\u65e5\\u672c\"", "\"日本\"")]
    [InlineData("\"a\\u0000b\\n\\\"\\\\\"", "\"a\\u0000b\\u000a\\\"\\\\\"")]
    [InlineData("\"\\/\"", "\"/\"")]
    public void Writes_the_one_canonical_spelling(string json, string expected) => Assert.Equal(expected, Canonical(json));

    [Fact]
    public void Spellings_jsonb_may_produce_for_the_same_value_canonicalize_alike() =>
        Assert.Equal(Canonical("""{"amount": 12345678901234567890.10, "name": "\u00df"}"""), Canonical("""{"name":"ß","amount":1.23456789012345678901E+19}"""));

    [Fact]
    public void Duplicate_property_names_are_refused() =>
        Assert.Throws<JsonException>(() => Canonical("""{"a":1,"b":2,"a":3}"""));

    [Fact]
    public void Absurd_exponents_are_refused() =>
        Assert.Throws<JsonException>(() => Canonical("1e999999"));
}
