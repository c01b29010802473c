using Oversight.Domain.Common;

namespace Oversight.Api.OpenApi;

/// <summary>
/// A request member that takes one code of a closed list; <see cref="RequestContract"/> writes the list into the
/// member's schema as its enum. The handler validates the member with the same list.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
internal abstract class CodeListAttribute : Attribute
{
    public abstract IReadOnlyList<string> Codes { get; }
}

/// <summary>An ISO 3166-1 alpha-2 country code (<see cref="Countries"/>).</summary>
internal sealed class CountryCodeAttribute : CodeListAttribute
{
    public override IReadOnlyList<string> Codes => Countries.Codes;
}

/// <summary>A prefecture's JIS X 0401 code (<see cref="Prefectures"/>).</summary>
internal sealed class PrefectureCodeAttribute : CodeListAttribute
{
    public override IReadOnlyList<string> Codes => Prefectures.Codes;
}

/// <summary>Each item of a list member matches this pattern.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
internal sealed class EachMatchesAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}
