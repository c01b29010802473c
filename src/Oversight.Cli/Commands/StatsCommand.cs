using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Oversight.ReadModels.Statistics;
using Npgsql;
using Oversight.Persistence.Projections;
using Oversight.ReadModels.Storage;

namespace Oversight.Cli.Commands;

/// <summary><c>oversight stats revocations|inspections|moc|organizations</c>: the API's statistics, read from the same read models.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var command = new Command("stats", "Statistics by Japanese fiscal year (April–March) of the business date.");
        command.Subcommands.Add(Ranged("revocations", "Permit and plan-accreditation revocations.", StatisticsQueries.RevocationDimensions, StatisticsQueries.RevocationsAsync));
        command.Subcommands.Add(Ranged("moc", "Sending organizations reported under the MOC.", StatisticsQueries.MocDimensions, StatisticsQueries.MocReportsAsync));
        command.Subcommands.Add(Yearly("inspections", "Inspections done vs due, overdue and coverage in one fiscal year.", StatisticsQueries.InspectionDimensions,
            StatisticsQueries.InspectionsAsync));
        command.Subcommands.Add(Yearly("organizations", "Organizations permitted or registered at the end of a fiscal year.", StatisticsQueries.OrganizationDimensions,
            StatisticsQueries.OrganizationsAsync));
        return command;
    }

    private delegate Task<StatisticsResult> RangedQuery(Npgsql.NpgsqlDataSource dataSource, ProjectionTables tables, int? from, int? to, IReadOnlyList<Dimension> groupBy,
        CancellationToken ct);

    private delegate Task<StatisticsResult> YearlyQuery(Npgsql.NpgsqlDataSource dataSource, ProjectionTables tables, int year, IReadOnlyList<Dimension> groupBy,
        CancellationToken ct);

    private static Command Ranged(string name, string description, IReadOnlyList<Dimension> dimensions, RangedQuery query)
    {
        var from = new Option<int?>("--from-fy") { Description = "First fiscal year (e.g. 2022 = 2022-04-01 to 2023-03-31)." };
        var to = new Option<int?>("--to-fy") { Description = "Last fiscal year." };
        var (groupBy, format) = (GroupBy(dimensions), Format());
        var command = new Command(name, description) { from, to, groupBy, format };
        command.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(groupBy), dimensions, parse.GetValue(format)!, name,
            (services, tables, dims) => query(services.GetRequiredService<NpgsqlDataSource>(), tables, parse.GetValue(from), parse.GetValue(to), dims, ct)));
        return command;
    }

    private static Command Yearly(string name, string description, IReadOnlyList<Dimension> dimensions, YearlyQuery query)
    {
        var year = new Option<int>("--fy") { Description = "Fiscal year.", DefaultValueFactory = _ => Domain.Common.FiscalYear.Of(DateTimeOffset.UtcNow) };
        var (groupBy, format) = (GroupBy(dimensions), Format());
        var command = new Command(name, description) { year, groupBy, format };
        command.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(groupBy), dimensions, parse.GetValue(format)!, name,
            (services, tables, dims) => query(services.GetRequiredService<NpgsqlDataSource>(), tables, parse.GetValue(year), dims, ct)));
        return command;
    }

    private static async Task<int> RunAsync(string? groupBy, IReadOnlyList<Dimension> allowed, string format, string name,
        Func<IServiceProvider, ProjectionTables, IReadOnlyList<Dimension>, Task<StatisticsResult>> query)
    {
        var dims = StatisticsQueries.Parse(groupBy, allowed, out var unknown);
        if (dims is null)
        {
            await Console.Error.WriteLineAsync($"'{unknown}' is not a dimension here; use any of {string.Join(", ", allowed.Select(d => d.Name))}.");
            return 2;
        }
        await using var services = CliServices.Build(CliConfiguration.Load());
        var result = await query(services, services.GetRequiredService<ReadModelCatalog>().Tables(StatisticsProjection.ProjectionName), dims);
        var columns = result.Rows.Count == 0 ? ["count"] : result.Rows[0].Keys.ToList();
        await Output.WriteAsync(format, columns, result.Rows.Select(r => (IReadOnlyList<object?>)columns.Select(c => r.GetValueOrDefault(c)).ToList()),
            $"{name} (total {result.Total})");
        return 0;
    }

    private static Option<string> GroupBy(IReadOnlyList<Dimension> dimensions) =>
        new("--group-by") { Description = $"Comma-separated: {string.Join(", ", dimensions.Select(d => d.Name))}." };

    internal static Option<string> Format()
    {
        var format = new Option<string>("--format") { Description = "table or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong(Output.Formats);
        return format;
    }
}
