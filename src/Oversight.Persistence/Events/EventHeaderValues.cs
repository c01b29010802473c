using System.Globalization;
using System.Text.Json;
using JasperFx.Events;

namespace Oversight.Persistence.Events;

/// <summary>Our header values read back from Marten's <see cref="IEvent"/>, which deserializes header values as objects.</summary>
public static class EventHeaderValues
{
    /// <summary>The business date; a date string may come back as a <see cref="DateTime"/>.</summary>
    public static DateOnly? OccurredOn(IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.GetHeader(EventHeaders.OccurredOn) switch
        {
            DateTime date => DateOnly.FromDateTime(date),
            DateTimeOffset date => DateOnly.FromDateTime(date.DateTime),
            string text => Parse(text),
            JsonElement { ValueKind: JsonValueKind.String } json => Parse(json.GetString()),
            _ => null,
        };

        static DateOnly? Parse(string? text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
    }
}
