namespace Oversight.Domain.Common;

/// <summary>
/// The personal fields of <see cref="Events"/> were erased on a legal request (stream <c>erasure-{RequestId}</c>): their values are
/// gone from the store, their salted digests stay in the events so the hash chain still verifies. <see cref="RequestedEventIds"/>: the
/// events the request named (sorted), when it named some.
/// </summary>
public sealed record PersonalDataErased(Guid RequestId, string LegalBasis, string? Reference, Guid? OrganizationId, IReadOnlyList<ErasedEvent> Events,
    IReadOnlyList<Guid>? RequestedEventIds = null)
{
    public static string StreamId(Guid requestId) => $"erasure-{requestId}";
}

/// <summary>One event whose personal fields were erased.</summary>
public sealed record ErasedEvent(Guid EventId, string StreamId, IReadOnlyList<string> Fields);
