using Oversight.Api.Http;
using Oversight.Api.Security;
using Oversight.Persistence.AccessLog;

namespace Oversight.Api.AccessLog;

/// <summary>Who read whose record: the whole log for admins, one organization's readers for its auditors. JSON or text/csv, newest first.</summary>
internal static class AccessLogApi
{
    private const int MaxLimit = 10_000;
    private static readonly string[] Columns = ["at", "actorId", "actorRole", "action", "subjectType", "subjectId", "organizationId", "correlationId", "purpose"];

    public static IEndpointRouteBuilder MapAccessLog(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/access-log", Query).WithTags("Access log").RequireAuthorization(Policies.Administer)
            .WithSummary("Every read of personal data: filter by actor, subject (a record or the organization it concerns) and time [from, to)")
            .Produces<AccessLogPage>().Produces(StatusCodes.Status200OK, contentType: CsvOutput.MediaType).ProducesValidationProblem();
        app.MapGet("/api/v1/organizations/{id:guid}/access-log", ForOrganization).WithTags("Access log").RequireAuthorization(Policies.AuditAccess)
            .WithSummary("Who read this organization's record (its state, history, verification, inspections and correction orders)")
            .Produces<AccessLogPage>().Produces(StatusCodes.Status200OK, contentType: CsvOutput.MediaType).ProducesValidationProblem();
        return app;
    }

    private static Task<IResult> Query(string? actor, string? subject, DateTimeOffset? from, DateTimeOffset? to, int? limit, string? format, HttpContext http,
        AccessLogStore log, CancellationToken ct) =>
        ListAsync(new AccessLogQuery(Blank(actor), Subject(subject), from, to, limit ?? 1000), format, http, log, "access-log.csv", ct);

    private static Task<IResult> ForOrganization(Guid id, DateTimeOffset? from, DateTimeOffset? to, int? limit, string? format, HttpContext http, AccessLogStore log,
        CancellationToken ct) =>
        ListAsync(new AccessLogQuery(null, id.ToString(), from, to, limit ?? 1000), format, http, log, $"access-log-{id}.csv", ct);

    private static async Task<IResult> ListAsync(AccessLogQuery query, string? format, HttpContext http, AccessLogStore log, string fileName, CancellationToken ct)
    {
        var v = new Validation();
        if (query.Limit is < 1 or > MaxLimit) v.Add("limit", $"Between 1 and {MaxLimit}.");
        if (query.From is { } f && query.To is { } t && t <= f) v.Add("to", "After from.");
        var csv = v.Parse("format", () => CsvOutput.Wanted(http.Request, format));
        v.ThrowIfInvalid();
        var entries = await log.QueryAsync(query, ct);
        return csv
            ? CsvOutput.Write(Columns, entries.Select(e => (IReadOnlyList<object?>)[e.At, e.ActorId, e.ActorRole, e.Action, e.SubjectType, e.SubjectId, e.OrganizationId,
                e.CorrelationId, e.Purpose]), fileName)
            : Results.Ok(new AccessLogPage(entries));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Subject(string? value) => Blank(value) is { } subject ? AccessLogging.Normalized(subject) : null;
}

/// <summary>Reads of personal data, newest first.</summary>
public sealed record AccessLogPage(IReadOnlyList<AccessRecord> Entries);
