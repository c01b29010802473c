using System.Net;
using System.Text.Json;
using Oversight.Api.Tests.Support;

namespace Oversight.Api.Tests.OpenApi;

public sealed class OpenApiDocumentTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<JsonElement> DocumentAsync()
    {
        using var anonymous = api.CreateClient();
        return await (await anonymous.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
    }

    /// <summary>The document's POST operations by path, parameters written <c>{}</c>.</summary>
    private static Dictionary<string, JsonElement> Posts(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Value.TryGetProperty("post", out _))
            .ToDictionary(p => OpenApiPaths.Template(p.Name), p => p.Value.GetProperty("post"));

    public static TheoryData<string> Endpoints => WriteEndpoints.Keys;

    [Fact]
    public async Task The_document_lists_every_write_path_and_no_other_post()
    {
        var posts = Posts(await DocumentAsync());
        // The one write outside the catalogue: an erasure rewrites a record rather than recording an act, and needs a record with
        // personal data to act on; ErasureTests covers its roles, idempotency and bad input.
        string[] outside = ["/api/v1/admin/erasures"];
        Assert.Equal(WriteEndpoints.Templates.Concat(outside).Order(StringComparer.Ordinal), posts.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_document_has_the_bearer_scheme_and_requires_it()
    {
        var document = await DocumentAsync();
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.Equal("JWT", bearer.GetProperty("bearerFormat").GetString());
        Assert.Contains(document.GetProperty("security").EnumerateArray(), requirement => requirement.TryGetProperty("Bearer", out _));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_write_has_a_request_example_its_success_status_and_the_write_headers(string endpoint)
    {
        var write = WriteEndpoints.Get(endpoint);
        var template = OpenApiPaths.Template(write.Path(World.Placeholder));
        var post = Posts(await DocumentAsync())[template];

        var example = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal(JsonValueKind.Object, example.ValueKind);
        foreach (var field in write.Required)
            Assert.True(example.TryGetProperty(field, out _), $"The example of {endpoint} lacks {field}");

        var responses = post.GetProperty("responses");
        Assert.True(responses.TryGetProperty(write.Creates ? "201" : "200", out _), $"{endpoint} documents {string.Join(", ", responses.EnumerateObject().Select(r => r.Name))}");
        Assert.False(responses.TryGetProperty(write.Creates ? "200" : "201", out _));
        foreach (var status in new[] { "400", "401", "403", "413", "422" }) Assert.True(responses.TryGetProperty(status, out _), $"{endpoint} lacks {status}");

        var headers = post.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString());
        Assert.Contains("Idempotency-Key", headers);
        Assert.Contains("If-Match", headers);
    }

    /// <summary>The catalogue's valid bodies and the document's examples name the same members (the examples are what clients copy).</summary>
    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_example_names_only_members_the_endpoint_accepts(string endpoint)
    {
        var write = WriteEndpoints.Get(endpoint);
        var template = OpenApiPaths.Template(write.Path(World.Placeholder));
        var example = Posts(await DocumentAsync())[template].GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        var accepted = write.Body(World.Placeholder).Select(p => p.Key).Append("findingId").ToHashSet();
        foreach (var member in example.EnumerateObject()) Assert.Contains(member.Name, accepted);
    }

    /// <summary>
    /// The contract is committed (<c>docs/openapi/v1.json</c>), so a change to it shows in the diff that makes it: the served
    /// document must equal the committed one. After an intended change, rewrite it with
    /// <c>OVERSIGHT_WRITE_OPENAPI=1 dotnet test tests/Oversight.Api.Tests --filter The_served_document_is_the_committed_contract</c>.
    /// </summary>
    [Fact]
    public async Task The_served_document_is_the_committed_contract()
    {
        var path = Repository.PathTo("docs", "openapi", "v1.json");
        var served = System.Text.Json.Nodes.JsonNode.Parse((await DocumentAsync()).GetRawText())!;
        if (Environment.GetEnvironmentVariable("OVERSIGHT_WRITE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", TestContext.Current.CancellationToken);
        }
        Assert.True(File.Exists(path), $"{path} is missing: write it as this test's summary says.");
        var committed = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(committed, served),
            "The served OpenAPI document differs from docs/openapi/v1.json: review the change and rewrite the file as this test's summary says.");
    }
}
