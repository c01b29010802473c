using System.Globalization;
using Oversight.Persistence.Events;

namespace Oversight.Persistence.Tests.Events;

/// <summary>The stored business date read digit by digit: the same dates as the general parser, and nothing else.</summary>
public sealed class BusinessDateParsingTests
{
    [Fact]
    public void Every_day_of_a_span_that_crosses_leap_years_reads_as_the_general_parser_reads_it()
    {
        for (var date = new DateOnly(1999, 1, 1); date <= new DateOnly(2029, 12, 31); date = date.AddDays(1))
        {
            var text = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Equal(DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture), EventHeaderValues.ParseDate(text));
        }
        Assert.Equal(new DateOnly(1, 1, 1), EventHeaderValues.ParseDate("0001-01-01"));
        Assert.Equal(new DateOnly(9999, 12, 31), EventHeaderValues.ParseDate("9999-12-31"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-4-01")]
    [InlineData("2026-04-1")]
    [InlineData("2026/04/01")]
    [InlineData("2026-04-01T00:00")]
    [InlineData("20260401")]
    [InlineData("2026-13-01")]
    [InlineData("2026-00-10")]
    [InlineData("2026-04-00")]
    [InlineData("2026-04-31")]
    [InlineData("2025-02-29")]
    [InlineData("0000-01-01")]
    [InlineData("２０２６-04-01")]
    [InlineData("2026-0a-01")]
    [InlineData(" 2026-4-01")]
    [InlineData("+026-04-01")]
    public void Anything_but_a_real_date_in_that_form_is_no_date(string text)
    {
        Assert.Null(EventHeaderValues.ParseDate(text));
        Assert.False(DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
    }

    [Fact]
    public void Leap_days_are_dates_only_in_leap_years()
    {
        Assert.Equal(new DateOnly(2024, 2, 29), EventHeaderValues.ParseDate("2024-02-29"));
        Assert.Equal(new DateOnly(2000, 2, 29), EventHeaderValues.ParseDate("2000-02-29"));
        Assert.Null(EventHeaderValues.ParseDate("1900-02-29"));
    }
}
