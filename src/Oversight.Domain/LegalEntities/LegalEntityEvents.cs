namespace Oversight.Domain.LegalEntities;

/// <summary>
/// A legal entity (by corporate number) may not be registered or accredited until <see cref="Until"/>:
/// five years after a revocation (Art.26(2), Art.10(7)) or after abolishing its business once a revocation
/// hearing had been noticed (Art.26(3)). Stream: <c>entity-{corporateNumber}</c>.
/// </summary>
public sealed record EntityDisqualified(string CorporateNumber, DateOnly From, DateOnly Until, string Cause, string SourceStreamId);
