namespace Oversight.Security;

/// <summary>The roles a token may carry (claim <c>role</c>), and which roles each kind of work admits.</summary>
public static class Roles
{
    public const string Inspector = "inspector";
    public const string Officer = "officer";
    public const string Auditor = "auditor";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Inspector, Officer, Auditor, Analyst, Admin];

    /// <summary>Most privileged first: the role recorded for a caller who holds several.</summary>
    public static IReadOnlyList<string> ByPrivilege { get; } = [Admin, Officer, Inspector, Auditor, Analyst];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}
