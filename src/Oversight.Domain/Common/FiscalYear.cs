namespace Oversight.Domain.Common;

/// <summary>Japanese fiscal years: FY N runs from N-04-01 to (N+1)-03-31, in Asia/Tokyo.</summary>
public static class FiscalYear
{
    public static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    public static int Of(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;

    /// <summary>The fiscal year of an instant: its date in Tokyo decides.</summary>
    public static int Of(DateTimeOffset instant) => Of(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Tokyo).DateTime));
}
