namespace Oversight.Domain.Moc;

/// <summary>
/// A Memorandum of Cooperation on technical intern training between Japan and <see cref="Country"/> (ISO 3166-1 alpha-2):
/// signed on <see cref="SignedOn"/>, in force from <see cref="InForceFrom"/>; <see cref="Source"/> cites where the dates are
/// published. Stream: <c>moc-{country}</c>.
/// </summary>
public sealed record MocSigned(Guid MocId, string Country, DateOnly SignedOn, DateOnly InForceFrom, string? Source);

/// <summary>The memorandum in force ends: reports and plans under it are refused from <see cref="EndedOn"/>.</summary>
public sealed record MocEnded(DateOnly EndedOn, string Reason);
