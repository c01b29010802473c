using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;
using Oversight.Api.Http;

namespace Oversight.Api.Security;

/// <summary>
/// What an exposed government API needs beside authentication: rate limits (per client address on the anonymous endpoints, per caller
/// on writes; 429 problem+json with <c>Retry-After</c>), a request timeout (503 problem+json with <c>Retry-After</c>), security
/// headers on every response (HSTS outside Development), and CORS only for configured origins.
/// </summary>
internal static class Hardening
{
    public const string AnonymousPolicy = "anonymous";
    public const string WritesPolicy = "writes";
    private const string CorsPolicy = "configured-origins";

    public static WebApplicationBuilder AddOversightHardening(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(HardeningOptions.Section).Get<HardeningOptions>() ?? new HardeningOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, ct) => RejectAsync(context.HttpContext, context.Lease, ct);
            limiter.AddPolicy(AnonymousPolicy, http => PerMinute($"ip:{http.Connection.RemoteIpAddress}", options.AnonymousPermitsPerMinute));
            // Authorization runs first, so a write that gets here has a subject; each caller has its own allowance.
            limiter.AddPolicy(WritesPolicy, http => PerMinute($"sub:{http.User.FindFirst("sub")?.Value}", options.WritePermitsPerMinute));
        });
        builder.Services.AddRequestTimeouts(timeouts =>
        {
            if (options.RequestTimeout <= TimeSpan.Zero) return;
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = options.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
                WriteTimeoutResponse = http => WriteProblemAsync(http, StatusCodes.Status503ServiceUnavailable, "Request timed out",
                    $"The request took longer than {options.RequestTimeout.TotalSeconds:0.#} s and was stopped; nothing partial was stored. Try again.",
                    "request-timeout", DatabaseFaults.RetryAfterSeconds),
            };
        });
        if (options.CorsOrigins.Length > 0)
            builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy.WithOrigins(options.CorsOrigins).WithMethods("GET", "POST")
                .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", "If-Match", AccessLog.AccessLogging.PurposeHeader, Correlation.Header)
                .WithExposedHeaders("ETag", "Location", "Link", "Retry-After")));
        builder.Services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = true;
            hsts.ExcludedHosts.Clear(); // the API is reached by its host name behind TLS; no host is exempt
        });
        return builder;
    }

    /// <summary>Headers first (every response carries them), then CORS; rate limits and timeouts after authorization (they need the caller).</summary>
    public static WebApplication UseOversightHeaders(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.Use((http, next) =>
        {
            // When the answer starts: error handlers clear headers set earlier, and their answers need these too.
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                return Task.CompletedTask;
            });
            return next(http);
        });
        if (app.Services.GetRequiredService<HardeningOptions>().CorsOrigins.Length > 0) app.UseCors(CorsPolicy);
        return app;
    }

    public static WebApplication UseOversightLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        return app;
    }

    private static RateLimitPartition<string> PerMinute(string key, int permits) => permits <= 0
        ? RateLimitPartition.GetNoLimiter(key)
        : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
        });

    private static ValueTask RejectAsync(HttpContext http, RateLimitLease lease, CancellationToken ct)
    {
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
        return new ValueTask(WriteProblemAsync(http, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"This client made more requests than its allowance; try again in {seconds} s.", "rate-limited", Math.Max(1, seconds)));
    }

    private static Task WriteProblemAsync(HttpContext http, int status, string title, string detail, string code, int retryAfterSeconds)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return ProblemMapping.WriteAsync(http.RequestServices.GetRequiredService<IProblemDetailsService>(), http, status, title, detail, code).AsTask();
    }
}
