namespace Oversight.Domain.Common;

/// <summary>The 47 prefectures by JIS X 0401 code ("01" Hokkaido … "47" Okinawa).</summary>
public static class Prefectures
{
    private static readonly string[] Names =
    [
        "Hokkaido", "Aomori", "Iwate", "Miyagi", "Akita", "Yamagata", "Fukushima", "Ibaraki", "Tochigi", "Gunma",
        "Saitama", "Chiba", "Tokyo", "Kanagawa", "Niigata", "Toyama", "Ishikawa", "Fukui", "Yamanashi", "Nagano",
        "Gifu", "Shizuoka", "Aichi", "Mie", "Shiga", "Kyoto", "Osaka", "Hyogo", "Nara", "Wakayama",
        "Tottori", "Shimane", "Okayama", "Hiroshima", "Yamaguchi", "Tokushima", "Kagawa", "Ehime", "Kochi", "Fukuoka",
        "Saga", "Nagasaki", "Kumamoto", "Oita", "Miyazaki", "Kagoshima", "Okinawa",
    ];

    public static IReadOnlyList<string> Codes { get; } = Enumerable.Range(1, 47).Select(i => i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public static string NameOf(string code) => Names[int.Parse(Validate(code), System.Globalization.CultureInfo.InvariantCulture) - 1];

    public static string Validate(string? code, string field = "prefecture") =>
        code is { Length: 2 } && Codes.Contains(code) ? code
        : throw new InvalidValue(field, $"'{code}' is not a prefecture: use its JIS code, \"01\" (Hokkaido) to \"47\" (Okinawa).");
}
