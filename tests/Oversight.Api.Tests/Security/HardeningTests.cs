using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Security;

/// <summary>A host with small allowances, a CORS origin and everything it logs captured.</summary>
public sealed class HardenedApiFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "https://dashboard.oversight.example";

    public AllLogs Logs { get; } = new();

    public ApiFactory Api { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Api = new ApiFactory
        {
            Settings = new Dictionary<string, string>
            {
                ["Http:AnonymousPermitsPerMinute"] = "3",
                ["Http:WritePermitsPerMinute"] = "2",
                ["Http:CorsOrigins:0"] = AllowedOrigin,
            },
            ExtraServices = services => services.AddSingleton<ILoggerProvider>(Logs),
        };
        await Api.InitializeAsync();
    }

    public ValueTask DisposeAsync() => Api.DisposeAsync();

    /// <summary>Every message the host logs, at every level its configuration lets through.</summary>
    public sealed class AllLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Entries { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        private sealed class Logger(AllLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Entries.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}

/// <summary>Issue 14: rate limits, timeouts, security headers, CORS and secrets kept out of the logs.</summary>
public sealed class HardeningTests(HardenedApiFixture fixture) : IClassFixture<HardenedApiFixture>
{
    private ApiFactory Api => fixture.Api;

    [Fact]
    public async Task Anonymous_traffic_beyond_its_allowance_gets_429_with_Retry_After_and_does_not_throttle_authenticated_reads()
    {
        using var anonymous = Api.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await anonymous.GetAsync("/api/v1/public/sanctions");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused ??= response;
        }
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.NotNull(refused);
        var problem = await refused.ExpectProblem(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());

        using var analyst = Api.As(Roles.Analyst);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/api/v1/statistics/revocations?groupBy=fiscalYear")).StatusCode);
    }

    [Fact]
    public async Task Each_caller_has_its_own_write_allowance_and_a_refused_write_stores_nothing()
    {
        using var first = Api.As(Roles.Officer, $"officer-{Guid.NewGuid():N}");
        for (var i = 0; i < 2; i++)
            await (await first.PostJsonAsync("/api/v1/supervising-organizations", TestData.SupervisingOrganization())).Expect(HttpStatusCode.Created);
        var before = await Api.EventCountAsync();
        var refused = await first.PostJsonAsync("/api/v1/supervising-organizations", TestData.SupervisingOrganization());
        await refused.ExpectProblem(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Equal(before, await Api.EventCountAsync());

        using var second = Api.As(Roles.Officer, $"officer-{Guid.NewGuid():N}");
        await (await second.PostJsonAsync("/api/v1/supervising-organizations", TestData.SupervisingOrganization())).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Every_answer_carries_the_security_headers_and_HSTS_over_HTTPS_outside_Development()
    {
        using var client = Api.As(Roles.Analyst);
        var response = await client.GetAsync("/api/v1/statistics/revocations?groupBy=fiscalYear");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security")); // not over plain HTTP

        using var https = Api.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://oversight.example/") });
        var secure = await https.GetAsync("/health/live");
        Assert.StartsWith("max-age=", secure.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        var problem = await https.GetAsync("/api/v1/statistics/revocations"); // 401: errors carry them too
        Assert.Equal("nosniff", problem.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData(HardenedApiFixture.AllowedOrigin, true)]
    [InlineData("https://elsewhere.example", false)]
    public async Task Only_configured_origins_may_call_from_a_browser(string origin, bool allowed)
    {
        using var client = Api.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/supervising-organizations");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
        var response = await client.SendAsync(preflight);
        Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
    }

    [Fact]
    public async Task Without_configured_origins_no_cross_origin_call_is_allowed()
    {
        await using var plain = new ApiFactory();
        await plain.InitializeAsync();
        using var client = plain.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/supervising-organizations");
        preflight.Headers.Add("Origin", HardenedApiFixture.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        var response = await client.SendAsync(preflight);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_request_that_runs_out_of_time_is_503_with_Retry_After()
    {
        await using var slow = new ApiFactory { Settings = new Dictionary<string, string> { ["Http:RequestTimeout"] = "00:00:00.300" } };
        await slow.InitializeAsync();
        using var client = slow.As(Roles.Analyst);
        // Waiting for a position the read models will never reach (up to 5 s) outlasts the 300 ms allowed.
        var response = await client.GetAsync("/api/v1/statistics/revocations?groupBy=fiscalYear&minPosition=999999999");
        await response.ExpectProblem(HttpStatusCode.ServiceUnavailable, "request-timeout");
        Assert.True(response.Headers.Contains("Retry-After"));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single()); // error answers carry the headers too
        Assert.DoesNotContain(slow.Errors.Entries, e => e.Contains("ExceptionHandlerMiddleware", StringComparison.Ordinal)); // handled, not a 500
    }

    [Fact]
    public async Task Secrets_never_reach_the_logs()
    {
        var token = Api.Token(Roles.Auditor);
        using (var client = Api.CreateClient())
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/organizations/{Guid.CreateVersion7()}")).StatusCode);
        }
        Assert.NotEmpty(fixture.Logs.Entries);
        var password = new Npgsql.NpgsqlConnectionStringBuilder(Api.ConnectionString).Password!;
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Contains(Api.Tokens.SigningKey!, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Contains($"Password={password}", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Contains(token.Split('.')[2], StringComparison.Ordinal)); // its signature
    }
}
