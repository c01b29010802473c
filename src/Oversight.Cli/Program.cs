using System.CommandLine;
using Oversight.Cli.Commands;

var root = new RootCommand("oversight: operate the Oversight Backend (migrate, mint tokens, and more).")
{
    MigrateCommand.Create(),
    TokenCommand.Create(),
    StatsCommand.Create(),
    HistoryCommand.Create(),
    VerifyCommand.Create(),
    ProjectionsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
