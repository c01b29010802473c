using System.Globalization;
using CsvHelper;

namespace Oversight.Api.Http;

/// <summary><c>text/csv</c> as an alternative representation: asked for with <c>Accept: text/csv</c> or <c>?format=csv</c>.</summary>
internal static class CsvOutput
{
    public const string MediaType = "text/csv";

    public static bool Wanted(HttpRequest request, string? format)
    {
        if (format is not null)
            return format.ToLowerInvariant() switch
            {
                "csv" => true,
                "json" => false,
                _ => throw RequestValidationException.For("format", "Either json or csv."),
            };
        return request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A header row, then one row per item (RFC 4180 quoting by CsvHelper; dates ISO 8601; nulls empty).</summary>
    public static IResult Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows, string fileName) =>
        Results.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, leaveOpen: true);
            // Disposed asynchronously: a synchronous dispose flushes into the response body, which the server refuses (500 after the headers).
            await using var csv = CsvWriter.Create(writer, new CsvWriterOptions(), true);
            await csv.WriteRecordAsync([.. header], CancellationToken.None);
            foreach (var row in rows) await csv.WriteRecordAsync([.. row.Select(Format)], CancellationToken.None);
            await csv.FlushAsync(CancellationToken.None);
        }, $"{MediaType}; charset=utf-8", fileDownloadName: fileName);

    private static string Format(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
