using System.CommandLine;
using Oversight.Cli.Commands;

var root = new RootCommand("oversight: operate the Oversight Backend (migrate, and more to come).")
{
    MigrateCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
