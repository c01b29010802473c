using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Oversight.Api.Tests.Support;

/// <summary>Small helpers for JSON writes and their answers.</summary>
internal static class Http
{
    /// <summary>POSTs JSON; <paramref name="traceparent"/> makes the request part of a caller's trace (W3C Trace Context).</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json, string? idempotencyKey = null, string? ifMatch = null,
        string? traceparent = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (traceparent is not null) request.Headers.Add("traceparent", traceparent);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body, string? idempotencyKey = null, string? ifMatch = null,
        string? traceparent = null) =>
        client.PostJsonAsync(path, JsonSerializer.Serialize(body, JsonSerializerOptions.Web), idempotencyKey, ifMatch, traceparent);

    /// <summary>Asserts the status (showing the body when it differs) and returns the parsed body.</summary>
    public static async Task<JsonElement> Expect(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem with this status (and code, when given); returns it.</summary>
    public static async Task<JsonElement> ExpectProblem(this HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var problem = await response.Expect(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (code is not null) Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }

    /// <summary>
    /// Asserts a successful write: the status, ETag = the body's version, X-Event-Position = the body's position, and the
    /// Location when one is expected; returns the body.
    /// </summary>
    public static async Task<JsonElement> ExpectWrite(this HttpResponseMessage response, HttpStatusCode status, string? location = null, long? version = null)
    {
        var body = await response.Expect(status);
        var bodyVersion = body.GetProperty("version").GetInt64();
        Assert.Equal($"\"{bodyVersion}\"", response.Headers.ETag?.Tag);
        if (version is not null) Assert.Equal(version, bodyVersion);
        var position = body.GetProperty("position").GetInt64();
        Assert.True(position > 0);
        Assert.Equal(position.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-Event-Position").Single());
        if (location is not null) Assert.Equal(location, response.Headers.Location?.ToString());
        return body;
    }

    public static long Position(this JsonElement body) => body.GetProperty("position").GetInt64();

    public static Guid Id(this JsonElement body) => body.GetProperty("id").GetGuid();

    public static Task<T?> GetJsonAsync<T>(this HttpClient client, string path) => client.GetFromJsonAsync<T>(path, JsonSerializerOptions.Web);
}
