using Oversight.Api.Writes;
using Oversight.Domain.Inspections;

namespace Oversight.Api.Organizations;

/// <summary>An organization addressed by id alone: which kind it is, and whether it may be inspected and ordered as normal.</summary>
internal sealed record OrganizationRef(Guid Id, OrganizationType Type, bool IsActive);

internal static class OrganizationLookup
{
    /// <summary>Loads the supervising or implementing organization with this id (their ids never collide: both are UUIDs we assign).</summary>
    public static async Task<OrganizationRef?> LoadOrganizationAsync(this WriteScope scope, Guid id, CancellationToken ct)
    {
        var so = await scope.LoadAsync<Domain.SupervisingOrganizations.SupervisingOrganization?>(
            Domain.SupervisingOrganizations.SupervisingOrganization.StreamId(id), null, Domain.SupervisingOrganizations.SupervisingOrganization.Evolve, ct);
        if (so is not null) return new OrganizationRef(id, OrganizationType.SupervisingOrganization, so.IsActive);
        return null;
    }
}
