namespace Oversight.Domain.Common;

/// <summary>
/// Marks an event field that may hold personal data (free text about people, inspectors' and officers' names): it can be erased on
/// a legal request, and the hash chain commits to a salted digest of it rather than to its value, so the chain still verifies after
/// an erasure (ADR 13).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PersonalDataAttribute : Attribute;
