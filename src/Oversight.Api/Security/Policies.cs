using Oversight.Security;

namespace Oversight.Api.Security;

/// <summary>Who may do what (design §4). Admin may do everything.</summary>
internal static class Policies
{
    /// <summary>Schedule and record inspections and findings.</summary>
    public const string Inspect = "inspect";

    /// <summary>Registrations, orders, suspensions, revocations, MOC reports.</summary>
    public const string Officiate = "officiate";

    /// <summary>Organization state, history and verification.</summary>
    public const string Audit = "audit";

    /// <summary>Statistics, risk flags and the dashboard: no personal data.</summary>
    public const string Analyse = "analyse";

    /// <summary>Who read whose record: one organization's readers.</summary>
    public const string AuditAccess = "audit-access";

    /// <summary>The whole access log; erasures.</summary>
    public const string Administer = "administer";

    public static readonly IReadOnlyDictionary<string, string[]> RolesOf = new Dictionary<string, string[]>
    {
        [Inspect] = [Roles.Inspector, Roles.Admin],
        [Officiate] = [Roles.Officer, Roles.Admin],
        [Audit] = [Roles.Auditor, Roles.Officer, Roles.Inspector, Roles.Admin],
        [Analyse] = [Roles.Analyst, Roles.Auditor, Roles.Officer, Roles.Admin],
        [AuditAccess] = [Roles.Auditor, Roles.Admin],
        [Administer] = [Roles.Admin],
    };
}
