using System.ComponentModel.DataAnnotations;
using Oversight.Api.OpenApi;
namespace Oversight.Api.Moc;

public sealed record SignMocRequest([Required, CountryCode] string? Country, [Required] DateOnly? SignedOn, [Required] DateOnly? InForceFrom,
    [StringLength(500)] string? Source)
{
    internal static readonly SignMocRequest Example = new("NP", new(2024, 1, 18), new(2024, 1, 18), "Ministry of Justice, Immigration Services Agency: MOC text");
}

public sealed record EndMocRequest([Required] DateOnly? EndedOn, [Required, StringLength(2000)] string? Reason)
{
    internal static readonly EndMocRequest Example = new(new(2025, 3, 31), "Superseded by a new memorandum.");
}

/// <summary>A country with a memorandum in force on <see cref="MocCountries.AsOf"/>.</summary>
public sealed record MocCountry(string Country, DateOnly SignedOn, DateOnly InForceFrom);

public sealed record MocCountries(DateOnly AsOf, IReadOnlyList<MocCountry> Countries, int Total);
