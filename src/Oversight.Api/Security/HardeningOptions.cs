namespace Oversight.Api.Security;

/// <summary>Section <c>Http</c>: abuse limits, request timeout and cross-origin access (none by default).</summary>
public sealed class HardeningOptions
{
    public const string Section = "Http";

    /// <summary>Requests per minute one client address may make to the anonymous endpoints (public register, dashboard shell); 0 = no limit.</summary>
    public int AnonymousPermitsPerMinute { get; set; } = 120;

    /// <summary>Writes per minute one caller (token subject) may make; 0 = no limit.</summary>
    public int WritePermitsPerMinute { get; set; } = 600;

    /// <summary>Longest a request may run before it is answered 503 (its work cancelled, nothing partial stored); zero = no limit.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Browser origins allowed to call the API cross-origin; empty (the default): none.</summary>
    public string[] CorsOrigins { get; set; } = [];
}
