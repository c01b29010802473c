using System.ComponentModel.DataAnnotations;

namespace Oversight.Api.Erasure;

/// <summary>
/// A legal request to erase personal data: of an organization's record (every event of it that holds some), of given
/// <c>eventIds</c> (within that record when <c>organizationId</c> is given too); <c>legalBasis</c> names the provision (e.g. the
/// APPI article) and <c>reference</c> the request.
/// </summary>
public sealed record EraseRequest(Guid? OrganizationId, [MinLength(1), MaxLength(1000)] IReadOnlyList<Guid>? EventIds,
    [Required, StringLength(200)] string? LegalBasis, [StringLength(100)] string? Reference)
{
    internal static readonly EraseRequest Example = new(Guid.Parse("0192f1f0-0000-7000-8000-000000000001"), null,
        "Act on the Protection of Personal Information, Art. 35(1)", "Request 2026-041");
}
