using Oversight.Api.Http;
using Oversight.Api.Security;
using Oversight.Persistence.AccessLog;

namespace Oversight.Api.AccessLog;

/// <summary>
/// Records every successful read of a record holding personal data (<see cref="AccessLogStore"/>): the endpoint's subject is its
/// <c>{id}</c>; a handler names the organization the record concerns with <see cref="Concerns"/>. The entry is written after the
/// handler has found the record and before the answer leaves, so a read that cannot be logged is not served (503 like any database fault).
/// </summary>
internal static class AccessLogging
{
    private const string OrganizationKey = "access-log.organization";
    public const string PurposeHeader = "X-Purpose";
    public const int MaxPurpose = 200;

    /// <summary>Logs each successful call of the endpoint as a read of a <paramref name="subjectType"/>.</summary>
    public static RouteHandlerBuilder AccessLogged(this RouteHandlerBuilder endpoint, string action, string subjectType) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var purpose = http.Request.Headers[PurposeHeader].ToString().Trim();
            if (purpose.Length > MaxPurpose)
                throw RequestValidationException.For(PurposeHeader, $"At most {MaxPurpose} characters: why the record is read.");
            var result = await next(context);
            var actor = Actor.Of(http.User);
            var raw = http.Request.RouteValues["id"]?.ToString() ?? throw new InvalidOperationException("An access-logged endpoint has an {id}.");
            var subject = Normalized(raw);
            var organization = http.Items[OrganizationKey] as Guid? ?? (subjectType == "organization" && Guid.TryParse(subject, out var id) ? id : null);
            var clock = http.RequestServices.GetRequiredService<TimeProvider>();
            await http.RequestServices.GetRequiredService<AccessLogStore>().RecordAsync(new AccessRecord(clock.GetUtcNow(), actor.Id, actor.Role, action,
                subjectType, subject, organization, Correlation.Of(http),
                purpose.Length == 0 ? null : purpose), http.RequestAborted);
            return result;
        });

    /// <summary>Ids in one spelling (a GUID route accepts several), so a read is always found by its subject.</summary>
    public static string Normalized(string subject) => Guid.TryParse(subject, out var id) ? id.ToString("D") : subject;

    /// <summary>Names the organization whose record the current read touches (so its auditors see the read).</summary>
    public static void Concerns(HttpContext http, Guid organizationId) => http.Items[OrganizationKey] = organizationId;
}
