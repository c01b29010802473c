namespace Oversight.Domain.Common;

/// <summary>
/// A 13-digit corporate number (法人番号). The first digit is a check digit: 9 − (Σ Pn·Qn mod 9), Pn the n-th
/// digit of the 12-digit base counted from the right, Qn = 1 for odd n and 2 for even n.
/// </summary>
public readonly record struct CorporateNumber
{
    private CorporateNumber(string value) => Value = value;

    public string Value { get; }

    /// <summary>The shape of a corporate number (the check digit, 1–9, is verified beyond it).</summary>
    public const string Format = @"^[1-9][0-9]{12}$";

    public static CorporateNumber Parse(string? text, string field = "corporateNumber") =>
        TryParse(text, out var number) ? number
        : throw new InvalidValue(field, $"'{text}' is not a valid corporate number: 13 digits whose first is the check digit of the other 12.");

    public static bool TryParse(string? text, out CorporateNumber number)
    {
        number = default;
        if (text is not { Length: 13 } || !text.All(char.IsAsciiDigit)) return false;
        var sum = 0;
        for (var n = 1; n <= 12; n++)
        {
            var digit = text[13 - n] - '0';
            sum += digit * (n % 2 == 1 ? 1 : 2);
        }
        if (text[0] - '0' != 9 - sum % 9) return false;
        number = new CorporateNumber(text);
        return true;
    }

    public override string ToString() => Value;
}
