using System.Security.Claims;
using System.Text.Json;

namespace Oversight.Security;

/// <summary>
/// Reads a provider's roles onto ours: the claim <see cref="TokenOptions.RoleClaim"/> names either a claim (one claim per role, as
/// <c>roles</c> arrives) or a path into a JSON claim (<c>realm_access.roles</c>, Keycloak's realm roles). Roles that are not ours are ignored.
/// </summary>
public static class RoleClaims
{
    /// <summary>Our roles among the provider's, most privileged first.</summary>
    public static IReadOnlyList<string> Read(ClaimsPrincipal principal, string roleClaim)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentException.ThrowIfNullOrWhiteSpace(roleClaim);
        var path = roleClaim.Split('.');
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in principal.FindAll(path[0]))
        {
            if (path.Length == 1 && !LooksLikeJson(claim.Value)) found.Add(claim.Value);
            else Collect(claim.Value, path.AsSpan(1), found);
        }
        return [.. Roles.ByPrivilege.Where(found.Contains)];
    }

    private static bool LooksLikeJson(string value) => value.StartsWith('{') || value.StartsWith('[');

    private static void Collect(string json, ReadOnlySpan<string> path, HashSet<string> found)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var element = document.RootElement;
            foreach (var segment in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element)) return;
            }
            if (element.ValueKind == JsonValueKind.String) found.Add(element.GetString()!);
            else if (element.ValueKind == JsonValueKind.Array)
                foreach (var item in element.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String)) found.Add(item.GetString()!);
        }
        catch (JsonException)
        {
            // A claim that is not JSON holds no roles under a path.
        }
    }
}
