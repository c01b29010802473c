using Oversight.Domain.Common;

namespace Oversight.Api.Http;

/// <summary>
/// Collects every field error of a request before anything is decided, so one 400 lists them all.
/// Parsers from the domain (corporate numbers, prefectures, legal bases…) report through <see cref="InvalidValue"/>.
/// </summary>
internal sealed class Validation
{
    /// <summary>Business dates outside this range are typing errors, not history.</summary>
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);
    public static readonly DateOnly LatestDate = new(2099, 12, 31);

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private RuleViolation? _refused;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public T Required<T>(T? value, string field) where T : struct
    {
        if (value is null) Add(field, "This field is required.");
        return value.GetValueOrDefault();
    }

    public string Text(string? value, string field, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "This field is required.");
        else if (value.Length > maxLength) Add(field, $"At most {maxLength} characters.");
        else CheckStorable(value, field);
        return value?.Trim() ?? "";
    }

    public string? OptionalText(string? value, string field, int maxLength = 200)
    {
        if (value is not null && value.Length > maxLength) Add(field, $"At most {maxLength} characters.");
        else if (value is not null) CheckStorable(value, field);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public DateOnly Date(DateOnly? value, string field)
    {
        var date = Required(value, field);
        if (value is not null) CheckRange(date, field);
        return date;
    }

    public DateOnly? OptionalDate(DateOnly? value, string field)
    {
        if (value is { } date) CheckRange(date, field);
        return value;
    }

    /// <summary>A record of the past not dated after today (Tokyo): a rule (422), refused once the input is otherwise valid.</summary>
    public void NotAfterToday(DateOnly? date, string field, DateOnly today)
    {
        if (date is { } day && !Has(field)) Parse(field, () => { BusinessDates.EnsureNotAfterToday(day, today, field); return day; });
    }

    /// <summary>An inclusive period whose end may not precede its start.</summary>
    public Period Period(DateOnly? from, DateOnly? to, string fromField, string toField)
    {
        var start = Date(from, fromField);
        var end = Date(to, toField);
        if (from is not null && to is not null && end < start) Add(toField, $"Must not be before {fromField} ({start:yyyy-MM-dd}).");
        return Has(fromField) || Has(toField) ? default : new Period(start, end);
    }

    public int Count(int? value, string field, int min, int max)
    {
        var n = Required(value, field);
        if (value is not null && (n < min || n > max)) Add(field, $"Must be between {min} and {max}.");
        return n;
    }

    /// <summary>Runs a domain parser; its <see cref="InvalidValue"/> becomes a field error (and the default is returned).</summary>
    public T Parse<T>(string field, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidValue e)
        {
            Add(e.Field, e.Message);
            return default!;
        }
        catch (RuleViolation e)
        {
            // Well-formed but not allowed (e.g. a legal basis that cannot ground this measure): a 422, once the input is otherwise valid.
            _refused ??= e;
            return default!;
        }
    }

    /// <summary>Throws the 400 if any error was collected, else the first rule a parser refused (422).</summary>
    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0) throw new RequestValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        if (_refused is not null) throw _refused;
    }

    // PostgreSQL's jsonb cannot hold U+0000: refuse it here rather than fail the append with a 500.
    private void CheckStorable(string value, string field)
    {
        if (value.Contains('\0', StringComparison.Ordinal)) Add(field, "Must not contain the NUL character (U+0000).");
    }

    private void CheckRange(DateOnly date, string field)
    {
        if (date < EarliestDate || date > LatestDate) Add(field, $"Must be between {EarliestDate:yyyy-MM-dd} and {LatestDate:yyyy-MM-dd}.");
    }
}
