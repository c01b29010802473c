using System.CommandLine;
using Oversight.Cli.Commands;

var root = new RootCommand("oversight: operate the Oversight Backend (migrate, mint tokens, and more).")
{
    MigrateCommand.Create(),
    TokenCommand.Create(),
    SeedCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
