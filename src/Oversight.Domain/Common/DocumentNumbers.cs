using System.Text.RegularExpressions;

namespace Oversight.Domain.Common;

/// <summary>Permit numbers (許 + 10 digits), plan accreditation numbers (認 + 10 digits, amended plans 変認 + 10 digits).</summary>
public static partial class DocumentNumbers
{
    public static string Permit(string? text, string field = "permitNumber") =>
        text is not null && PermitPattern().IsMatch(text) ? text
        : throw new InvalidValue(field, $"'{text}' is not a permit number: 許 followed by 10 digits, e.g. 許1708000404.");

    public static string Plan(string? text, string field = "planNumber") =>
        text is not null && PlanPattern().IsMatch(text) ? text
        : throw new InvalidValue(field, $"'{text}' is not a plan accreditation number: 認 or 変認 followed by 10 digits, e.g. 認1711001206.");

    [GeneratedRegex(@"^許\d{10}$")]
    private static partial Regex PermitPattern();

    [GeneratedRegex(@"^変?認\d{10}$")]
    private static partial Regex PlanPattern();
}
