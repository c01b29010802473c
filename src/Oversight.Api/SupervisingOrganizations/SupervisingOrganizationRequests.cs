using System.ComponentModel.DataAnnotations;
using Oversight.Domain.Common;
using Oversight.Api.OpenApi;
using Oversight.Domain.SupervisingOrganizations;

namespace Oversight.Api.SupervisingOrganizations;

// Members are nullable so that every missing field is reported at once (400 with an error per field).

public sealed record RegisterSupervisingOrganizationRequest(
    [Required, RegularExpression(DocumentNumbers.PermitFormat)] string? PermitNumber,
    [Required, RegularExpression(Domain.Common.CorporateNumber.Format)] string? CorporateNumber, [Required, StringLength(200)] string? Name,
    [Required, PrefectureCode] string? Prefecture, [Required] PermitCategory? Category, [Required] DateOnly? PermitFrom, [Required] DateOnly? PermitTo)
{
    internal static readonly RegisterSupervisingOrganizationRequest Example =
        new("許1708000404", "7000012050002", "Kanto Agricultural Cooperative", "13", PermitCategory.General, new(2022, 4, 1), new(2027, 3, 31));
}

public sealed record RevokePermitRequest([Required] DateOnly? EffectiveOn, [Required, RegularExpression(Domain.Common.LegalBasis.Format)] string? LegalBasis,
    [Required, StringLength(2000)] string? Reason)
{
    internal static readonly RevokePermitRequest Example = new(new(2023, 1, 27), "Art.37(1)(iv)", "Falsified audit reports on implementing organizations.");
}

public sealed record SuspendBusinessRequest([Required] DateOnly? From, [Required] DateOnly? To, bool? Partial,
    [Required, RegularExpression(Domain.Common.LegalBasis.Format)] string? LegalBasis, [Required, StringLength(2000)] string? Reason)
{
    internal static readonly SuspendBusinessRequest Example = new(new(2023, 2, 1), new(2023, 4, 30), true, "Art.37(3)", "Supervision duties not performed.");
}

public sealed record RevocationHearingRequest([Required] DateOnly? NoticedOn)
{
    internal static readonly RevocationHearingRequest Example = new(new DateOnly(2023, 1, 10));
}

public sealed record AbolishBusinessRequest([Required] DateOnly? EffectiveOn)
{
    internal static readonly AbolishBusinessRequest Example = new(new DateOnly(2023, 1, 20));
}

public sealed record RenewPermitRequest([Required] DateOnly? PermitFrom, [Required] DateOnly? PermitTo, bool? RatedExcellent)
{
    internal static readonly RenewPermitRequest Example = new(new(2027, 4, 1), new(2034, 3, 31), true);
}

public sealed record DowngradeCategoryRequest([Required] DateOnly? EffectiveOn, [Required, RegularExpression(Domain.Common.LegalBasis.Format)] string? LegalBasis,
    [Required, StringLength(2000)] string? Reason)
{
    internal static readonly DowngradeCategoryRequest Example = new(new(2024, 4, 1), "Art.37(2)", "The excellence standard is no longer met.");
}

/// <summary>A category change on the organization's application (Specified → General needs the excellence standard).</summary>
public sealed record ChangeCategoryRequest([Required] PermitCategory? Category, [Required] DateOnly? EffectiveOn)
{
    internal static readonly ChangeCategoryRequest Example = new(PermitCategory.Specified, new(2024, 4, 1));
}
