using Oversight.Domain.Common;
using static Oversight.Domain.Tests.Spec;

namespace Oversight.Domain.Tests;

/// <summary>A record of the past is not dated after today in Tokyo.</summary>
public sealed class BusinessDateRuleTests
{
    [Theory]
    [InlineData("2026-03-31")]
    [InlineData("2026-04-01")]
    public void A_record_dated_today_or_before_is_accepted(string date) =>
        BusinessDates.EnsureNotAfterToday(D(date), D("2026-04-01"), "observedOn");

    [Fact]
    public void A_record_dated_tomorrow_is_refused_naming_the_field() =>
        Rejected("dated-after-today", "observedOn", () => BusinessDates.EnsureNotAfterToday(D("2026-04-02"), D("2026-04-01"), "observedOn"));

    [Theory]
    [InlineData("2026-03-31T14:59:59Z", "2026-03-31")] // 23:59:59 in Tokyo
    [InlineData("2026-03-31T15:00:00Z", "2026-04-01")] // midnight in Tokyo: already the next day there
    public void Today_is_the_calendar_day_in_Tokyo(string utc, string today) =>
        Assert.Equal(D(today), BusinessDates.TodayInTokyo(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));
}
