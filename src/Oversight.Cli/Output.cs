using System.Globalization;
using CsvHelper;
using Spectre.Console;

namespace Oversight.Cli;

/// <summary>Rows printed as a table (people) or CSV (tools), the same columns either way.</summary>
internal static class Output
{
    public static readonly string[] Formats = ["table", "csv"];

    public static async Task WriteAsync(string format, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows, string? title = null)
    {
        if (format == "csv")
        {
            using var csv = CsvWriter.Create(Console.Out, new CsvWriterOptions(), true);
            await csv.WriteRecordAsync([.. columns], CancellationToken.None);
            foreach (var row in rows) await csv.WriteRecordAsync([.. row.Select(Format)], CancellationToken.None);
            await csv.FlushAsync(CancellationToken.None);
            return;
        }
        var table = new Table { Border = TableBorder.Rounded };
        if (title is not null) table.Title = new TableTitle(title);
        foreach (var column in columns) table.AddColumn(new TableColumn(Markup.Escape(column)));
        foreach (var row in rows) table.AddRow([.. row.Select(v => Markup.Escape(Format(v)))]);
        AnsiConsole.Write(table);
    }

    public static string Format(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
