using Oversight.Domain.Common;

namespace Oversight.Domain.Tests;

/// <summary>Japanese fiscal years (April–March): a date is in the year it falls in; an instant by its date in Tokyo, not in UTC.</summary>
public sealed class FiscalYearTests
{
    [Theory]
    [InlineData("2023-03-31T15:00:00Z", 2023)] // already 2023-04-01 00:00 in Tokyo
    [InlineData("2023-03-31T14:59:59Z", 2022)] // still 2023-03-31 23:59:59 in Tokyo
    [InlineData("2023-04-01T00:00:00+09:00", 2023)]
    [InlineData("2023-03-31T23:59:59+09:00", 2022)]
    [InlineData("2024-03-31T14:59:59.9999999Z", 2023)]
    [InlineData("2024-03-31T15:00:00Z", 2024)]
    [InlineData("2023-03-31T12:00:00-05:00", 2023)] // 2023-04-01 02:00 in Tokyo
    public void An_instant_belongs_to_the_fiscal_year_of_its_date_in_Tokyo(string instant, int fiscalYear) =>
        Assert.Equal(fiscalYear, FiscalYear.Of(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(2023, 3, 31, 2022)]
    [InlineData(2023, 4, 1, 2023)]
    [InlineData(2023, 1, 1, 2022)]
    [InlineData(2023, 12, 31, 2023)]
    [InlineData(2024, 2, 29, 2023)]
    [InlineData(2024, 3, 31, 2023)]
    [InlineData(2024, 4, 1, 2024)]
    public void A_date_belongs_to_the_fiscal_year_from_April_to_March(int year, int month, int day, int fiscalYear) =>
        Assert.Equal(fiscalYear, FiscalYear.Of(new DateOnly(year, month, day)));
}
