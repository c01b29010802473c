using System.Security.Claims;

namespace Oversight.Api.Security;

/// <summary>Who is acting: the token's subject and role, written into each event's metadata.</summary>
internal sealed record Actor(string Id, string Role)
{
    public static Actor Of(ClaimsPrincipal user) =>
        new(user.FindFirstValue("sub") ?? throw new InvalidOperationException("An authenticated caller has no subject."),
            user.FindFirstValue("role") ?? throw new InvalidOperationException("An authenticated caller has no role."));
}
