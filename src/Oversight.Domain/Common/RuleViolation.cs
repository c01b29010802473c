namespace Oversight.Domain.Common;

/// <summary>A command the rules refuse. <see cref="Code"/> is stable (clients and tests match on it); <see cref="Field"/> names the input at fault, if one is.</summary>
public sealed class RuleViolation(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Field { get; } = field;
}

/// <summary>Input that is malformed rather than against the rules (a 400, not a 422).</summary>
public sealed class InvalidValue(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
