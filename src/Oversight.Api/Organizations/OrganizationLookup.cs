using Oversight.Api.ImplementingOrganizations;
using Oversight.Api.SupervisingOrganizations;
using Oversight.Api.Writes;
using Oversight.Domain.Inspections;

namespace Oversight.Api.Organizations;

/// <summary>An organization an act names: its type, whether it is active, and since when it exists (permit start, registration), if known.</summary>
internal sealed record OrganizationRef(Guid Id, OrganizationType Type, bool IsActive, DateOnly? Since);

internal static class OrganizationLookup
{
    /// <summary>The supervising or implementing organization with this id (ids are UUIDs we assign, unique across both).</summary>
    public static async Task<OrganizationRef?> LoadOrganizationAsync(this WriteScope scope, Guid id, CancellationToken ct)
    {
        if (await scope.LoadSupervisingAsync(id, target: false, ct) is { } so) return new OrganizationRef(id, OrganizationType.SupervisingOrganization, so.IsActive, so.Terms[0].From);
        if (await scope.LoadImplementingAsync(id, target: false, ct) is { } io) return new OrganizationRef(id, OrganizationType.ImplementingOrganization, io.IsActive, io.RegisteredOn);
        return null;
    }
}
