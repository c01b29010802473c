namespace Oversight.Api.Dashboard;

/// <summary>
/// The analysts' dashboard (design §4): <c>GET /dashboard</c> is a static HTML shell that holds no data, and its script
/// (<c>wwwroot/dashboard/dashboard.js</c>) calls the statistics and risk APIs with the analyst's bearer token. Only the
/// shell and the static assets are anonymous; every figure still comes through an endpoint that requires
/// <see cref="Security.Policies.Analyse"/>.
/// </summary>
internal static class DashboardSetup
{
    /// <summary>The shell's file under the web root.</summary>
    public const string ShellPath = "dashboard/index.html";

    /// <summary>
    /// Own origin only: no inline script or style, no CDN, data only from this API. <c>form-action 'none'</c> keeps the token
    /// box from ever submitting a token into a URL; <c>frame-ancestors 'none'</c> keeps the page out of other sites' frames.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Call before <c>UseAuthentication</c>/<c>UseAuthorization</c>. The authorization middleware applies the fallback policy
    /// (a token) to every request that reaches it without an endpoint — static files included — so static files are served
    /// here, ahead of it: wwwroot holds only the dashboard's script, style and the vendored Chart.js, none of them data.
    /// Endpoints are matched by the routing that <see cref="WebApplication"/> puts first, so the API endpoints never reach the
    /// static file middleware and keep their policies; the shell endpoint opts out with <c>AllowAnonymous</c>.
    /// </summary>
    public static WebApplication UseDashboard(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = file => SecureHeaders(file.Context.Response) });
        app.MapGet("/dashboard", Shell).AllowAnonymous().RequireRateLimiting(Security.Hardening.AnonymousPolicy).ExcludeFromDescription();
        return app;
    }

    private static IResult Shell(HttpContext http, IWebHostEnvironment environment)
    {
        var shell = environment.WebRootFileProvider.GetFileInfo(ShellPath);
        if (!shell.Exists)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "The dashboard is not deployed with this API (wwwroot is missing).");
        SecureHeaders(http.Response);
        return Results.Stream(shell.CreateReadStream(), "text/html; charset=utf-8", lastModified: shell.LastModified);
    }

    private static void SecureHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // The shell and its assets change with deployments; revalidate rather than serve a stale script against a newer API.
        headers.CacheControl = "no-cache";
    }
}
