using System.CommandLine;
using JasperFx;

namespace Oversight.Cli.Commands;

/// <summary>
/// <c>oversight tools &lt;command&gt;</c>: Marten's and Wolverine's own command line over the service's configuration
/// (<c>describe</c>, <c>db-apply</c>, <c>db-assert</c>, <c>db-dump</c>, <c>projections</c>, <c>storage</c>, <c>resources</c>, <c>help</c>).
/// </summary>
internal static class ToolsCommand
{
    public static Command Create()
    {
        var arguments = new Argument<string[]>("arguments") { Description = "A JasperFx command and its options, e.g. 'db-assert' or 'storage counts'.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("tools", "Marten's and Wolverine's command line (db-apply, db-assert, projections, storage, describe, …).") { arguments };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, _) =>
        {
            string[] args = [.. parse.GetValue(arguments) ?? [], .. parse.UnmatchedTokens];
            using var host = CliMessaging.Build(CliConfiguration.Load());
            return await host.RunJasperFxCommands(args.Length == 0 ? ["help"] : args);
        });
        return command;
    }
}
