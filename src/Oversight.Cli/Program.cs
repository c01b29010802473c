using System.CommandLine;
using Oversight.Cli.Commands;

var root = new RootCommand("oversight: operate the Oversight Backend (migrate, mint tokens, seed, statistics, history, verification, projections).")
{
    MigrateCommand.Create(),
    TokenCommand.Create(),
    SeedCommand.Create(),
    StatsCommand.Create(),
    HistoryCommand.Create(),
    VerifyCommand.Create(),
    ProjectionsCommand.Create(),
    DeadLettersCommand.Create(),
    ToolsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
