using System.Text.RegularExpressions;

namespace Oversight.Domain.Common;

/// <summary>Permit numbers (許 + 10 digits), plan accreditation numbers (認 + 10 digits, amended plans 変認 + 10 digits).</summary>
public static partial class DocumentNumbers
{
    /// <summary>The pattern a permit number matches (also written into the API's contract).</summary>
    public const string PermitFormat = "^" + PermitShape + "$";

    /// <summary>The pattern a plan accreditation number matches.</summary>
    public const string PlanFormat = "^" + PlanShape + "$";

    private const string PermitShape = "許[0-9]{10}";
    private const string PlanShape = "変?認[0-9]{10}";

    public static string Permit(string? text, string field = "permitNumber") =>
        text is not null && PermitPattern().IsMatch(text) ? text
        : throw new InvalidValue(field, $"'{text}' is not a permit number: 許 followed by 10 digits, e.g. 許1708000404.");

    public static string Plan(string? text, string field = "planNumber") =>
        text is not null && PlanPattern().IsMatch(text) ? text
        : throw new InvalidValue(field, $"'{text}' is not a plan accreditation number: 認 or 変認 followed by 10 digits, e.g. 認1711001206.");

    // \A…\z: in .NET, $ also matches before a final newline, which the contract (ECMA-262) does not allow.
    [GeneratedRegex(@"\A" + PermitShape + @"\z")]
    private static partial Regex PermitPattern();

    [GeneratedRegex(@"\A" + PlanShape + @"\z")]
    private static partial Regex PlanPattern();
}
