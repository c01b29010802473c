using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.BadInput;

/// <summary>Every write endpoint × every way to get its input wrong: the exact status, as problem+json naming the member, and nothing written.</summary>
public sealed class BadInputTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ApiFactory Api => fixture.Api;

    public static TheoryData<string, string> Cases =>
        new(WriteEndpoints.All.SelectMany(e => BadInputCases.For(e).Select(c => (e.Key, c.Name))));

    public static TheoryData<string> Endpoints => WriteEndpoints.Keys;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_request_is_refused_with_its_status_as_a_problem_naming_the_member_and_writes_nothing(string endpoint, string @case)
    {
        var write = WriteEndpoints.Get(endpoint);
        var bad = BadInputCases.For(write).Single(c => c.Name == @case);
        using var client = Client(write, bad.Caller);
        var before = await Api.EventCountAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, write.Path(fixture.World))
        {
            Content = new StringContent(bad.Body(write.Body(fixture.World)), Encoding.UTF8, bad.ContentType),
        };
        var problem = await (await client.SendAsync(request)).ExpectProblem((HttpStatusCode)bad.Status);

        if (bad.Status == 400) Assert.Equal("invalid-request", problem.GetProperty("code").GetString());
        if (bad.Fields.Length > 0)
        {
            var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
            foreach (var field in bad.Fields) Assert.True(errors.Contains(field), $"errors names {string.Join(", ", errors)}, not {field}");
            if (bad.Exact) Assert.Equal(bad.Fields.Order(StringComparer.Ordinal), errors.Order(StringComparer.Ordinal));
        }
        Assert.Equal(before, await Api.EventCountAsync());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_body_over_64_KiB_sent_without_a_content_length_is_413(string endpoint)
    {
        var write = WriteEndpoints.Get(endpoint);
        using var client = Api.As(write.Role);
        var before = await Api.EventCountAsync();
        var bytes = Encoding.UTF8.GetBytes(write.Body(fixture.World).ToJsonString() + new string(' ', 70 * 1024));
        using var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        await (await client.PostAsync(write.Path(fixture.World), content)).ExpectProblem(HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        Assert.Equal(before, await Api.EventCountAsync());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Bad_Idempotency_Key_and_If_Match_headers_are_400_naming_the_header(string endpoint)
    {
        var write = WriteEndpoints.Get(endpoint);
        using var client = Api.As(write.Role);
        var before = await Api.EventCountAsync();

        foreach (var key in new[] { "キー", "has space", new string('k', 201) })
        {
            var problem = await (await client.PostJsonAsync(write.Path(fixture.World), write.Body(fixture.World).ToJsonString(), idempotencyKey: key))
                .ExpectProblem(HttpStatusCode.BadRequest, "invalid-request");
            Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        }
        foreach (var etag in new[] { "3", "\"x\"", "\"-1\"", "W/" })
        {
            var problem = await (await client.PostJsonAsync(write.Path(fixture.World), write.Body(fixture.World).ToJsonString(), ifMatch: etag))
                .ExpectProblem(HttpStatusCode.BadRequest, "invalid-request");
            Assert.True(problem.GetProperty("errors").TryGetProperty("If-Match", out _));
        }
        Assert.Equal(before, await Api.EventCountAsync());
    }

    /// <summary>Junk in every shape and in every member: whatever the answer, it is never a 5xx.</summary>
    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task No_junk_body_makes_the_server_fail(string endpoint)
    {
        var write = WriteEndpoints.Get(endpoint);
        using var client = Api.As(write.Role);
        var valid = write.Body(fixture.World);

        var bodies = new List<string>
        {
            "", " ", "{", "}", "[", "{}", "[]", "[{}]", "null", "0", "-0", "1e999", "true", "\"\"", "\"x\"", "{\"a\":", "{\"\":1}", "{,}", "{\"a\":1,}",
            "\uFEFF{}", "{\"__proto__\":{}}", "{\"a\":NaN}", "{\"a\":Infinity}", "{'a':1}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\u0000\"}", "\u0000",
            string.Concat(Enumerable.Repeat("[", 5000)), string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100),
            valid.ToJsonString() + "{}", valid.ToJsonString() + "garbage", valid.ToJsonString()[..^1],
        };
        JsonNode?[] values =
        [
            null, "", " ", "\u0000", "\ud800", "😀", new string('x', 20_000), 0, -1, 1.5, 1e308, long.MaxValue, true, false,
            new JsonObject(), new JsonArray(), new JsonArray(null, null), new JsonArray(new JsonObject()), "0001-01-01", "9999-12-31",
            "2023-1-1", "00000000-0000-0000-0000-000000000000", "{\"nested\":true}",
        ];
        foreach (var field in valid.Select(p => p.Key).ToList())
        {
            foreach (var value in values)
            {
                var copy = (JsonObject)valid.DeepClone();
                copy[field] = value?.DeepClone();
                bodies.Add(copy.ToJsonString());
            }
            var duplicate = valid.ToJsonString()[..^1] + $",\"{field}\":null}}";
            bodies.Add(duplicate);
        }

        foreach (var body in bodies)
        {
            var response = await client.PostJsonAsync(write.Path(fixture.World), body);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {Shorten(body)}: {await response.Content.ReadAsStringAsync()}\n{Api.Errors.Last}");
        }
    }

    private HttpClient Client(WriteEndpoint write, Caller caller)
    {
        var client = Api.CreateClient();
        var token = caller switch
        {
            Caller.Allowed => Api.Token(write.Role),
            Caller.ExpiredToken => Api.Expired(write.Role),
            Caller.TokenSignedWithAnotherKey => Tokens.SignedWithAnotherKey(write.Role),
            Caller.WrongRole => Api.Token(write.Role == Roles.Inspector ? Roles.Officer : Roles.Inspector),
            _ => null,
        };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string Shorten(string body) => body.Length > 600 ? body[..600] + "…" : body;

    /// <summary>A body whose length is not known up front (sent chunked, without Content-Length).</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
