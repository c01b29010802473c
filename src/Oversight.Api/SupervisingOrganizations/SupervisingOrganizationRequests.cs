using Oversight.Domain.SupervisingOrganizations;

namespace Oversight.Api.SupervisingOrganizations;

// Members are nullable so that every missing field is reported at once (400 with an error per field).

public sealed record RegisterSupervisingOrganizationRequest(
    string? PermitNumber, string? CorporateNumber, string? Name, string? Prefecture, PermitCategory? Category, DateOnly? PermitFrom, DateOnly? PermitTo);

public sealed record RevokePermitRequest(DateOnly? EffectiveOn, string? LegalBasis, string? Reason);

public sealed record SuspendBusinessRequest(DateOnly? From, DateOnly? To, bool? Partial, string? LegalBasis, string? Reason);

public sealed record RevocationHearingRequest(DateOnly? NoticedOn);

public sealed record AbolishBusinessRequest(DateOnly? EffectiveOn);
