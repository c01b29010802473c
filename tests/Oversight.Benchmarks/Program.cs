using Npgsql;
using Oversight.Benchmarks;
using Oversight.Benchmarks.Scenarios;

// dotnet run -c Release --project tests/Oversight.Benchmarks -- [--quick] [--keep] [--scenario NAME]...
// --keep leaves the benchmark database in place (its name goes to stderr) for profiling its queries afterwards.
// Prints one line per scenario: scenario=<name> ours=<value> baseline=<value> ratio=<ours/baseline> unit=<unit>
IScenario[] all =
[
    new MartenAppendScenario(chained: false),
    new MartenAppendScenario(chained: true),
    new MartenBulkImportScenario(chained: false),
    new MartenBulkImportScenario(chained: true),
    new MartenFoldScenario(),
    new MartenProjectionRebuildScenario(),
    new MartenProjectionLagScenario(),
    new HttpRecordFindingScenario(),
    new HttpRecordFindingScenario(telemetry: true),
    new HistoryScenario(),
    new SeedScenario(),
    new SeedToCompleteScenario(),
    new StatsNationalScenario(),
];
if (Environment.GetEnvironmentVariable(HttpVersusPreviousScenario.Variable) is { Length: > 0 } previousApi) all = [.. all, new HttpVersusPreviousScenario(previousApi)];

var quick = args.Contains("--quick");
var keep = args.Contains("--keep");
var selected = args.Select((a, i) => (a, i)).Where(x => x.a == "--scenario" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToHashSet();
var unknown = selected.Except(all.Select(s => s.Name)).ToArray();
if (unknown.Length > 0)
{
    Console.Error.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", all.Select(s => s.Name))}");
    return 2;
}

var server = Environment.GetEnvironmentVariable("ConnectionStrings__Oversight")
    ?? "Host=127.0.0.1;Port=55432;Username=oversight;Password=oversight;Database=oversight";
var database = $"oversight_bench_{Environment.ProcessId}";
await using (var admin = new NpgsqlConnection(server))
{
    await admin.OpenAsync();
    await using var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE); CREATE DATABASE {database}", admin);
    await create.ExecuteNonQueryAsync();
}

var exitCode = 0;
try
{
    var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 64 }.ConnectionString;
    await using var dataSource = NpgsqlDataSource.Create(connectionString);
    var context = new BenchContext(dataSource, quick, connectionString);
    foreach (var scenario in all.Where(s => selected.Count == 0 || selected.Contains(s.Name)))
    {
        var result = await scenario.RunAsync(context);
        context.Results[result.Name] = result;
        Console.WriteLine(result);
        // stdout keeps the one-line format; details (latency percentiles…) go to stderr.
        if (result.Note is not null) Console.Error.WriteLine($"{result.Name}: {result.Note}");
    }
}
catch (Exception e)
{
    Console.Error.WriteLine(e);
    exitCode = 1;
}
finally
{
    NpgsqlConnection.ClearAllPools();
    if (keep) Console.Error.WriteLine($"kept database {database}");
    else await DropAsync(server, database);
}
return exitCode;

static async Task DropAsync(string server, string database)
{
    await using var admin = new NpgsqlConnection(server);
    await admin.OpenAsync();
    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
    await drop.ExecuteNonQueryAsync();
}
