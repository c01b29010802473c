namespace Oversight.Domain.Common;

/// <summary>Business dates against the present: Japan's calendar day (Asia/Tokyo) is what "today" means to the record.</summary>
public static class BusinessDates
{
    /// <summary>The calendar day in Tokyo at <paramref name="now"/>.</summary>
    public static DateOnly TodayInTokyo(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, FiscalYear.Tokyo).DateTime);

    /// <summary>
    /// A record of the past (a finding observed, an order issued, a report received…) is not dated after today: such a
    /// record could not have happened yet. Dates that plan or bound the future (a schedule, a due date, a permit's term,
    /// a suspension's end) are not records of the past and are not checked.
    /// </summary>
    public static void EnsureNotAfterToday(DateOnly date, DateOnly today, string field)
    {
        if (date > today)
            throw new RuleViolation("dated-after-today",
                $"{date:yyyy-MM-dd} is after today ({today:yyyy-MM-dd} in Tokyo): a record of what happened cannot be dated in the future.", field);
    }
}
