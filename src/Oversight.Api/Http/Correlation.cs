namespace Oversight.Api.Http;

/// <summary>The request's correlation id: the caller's <c>X-Correlation-Id</c>, else the trace id (events, access log and erasures carry it).</summary>
internal static class Correlation
{
    public const string Header = "X-Correlation-Id";

    public static string? Of(HttpContext http) => http.Request.Headers[Header].FirstOrDefault() ?? System.Diagnostics.Activity.Current?.TraceId.ToString();
}
