using System.CommandLine;
using Oversight.Security;

namespace Oversight.Cli.Commands;

/// <summary><c>oversight token --role R [--subject S] [--hours H]</c>: mints a bearer token; the token is the last line printed.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role") { Description = $"One of: {string.Join(", ", Roles.All)}.", Required = true };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var subject = new Option<string>("--subject") { Description = "Who the token speaks for (the actor recorded with each event).", DefaultValueFactory = _ => Environment.UserName };
        var hours = new Option<double>("--hours") { Description = "Lifetime in hours (at most 720).", DefaultValueFactory = _ => 8 };
        var command = new Command("token", "Mint a bearer token accepted by an API running with the same configuration and environment (local development only: refused when an identity provider is configured).") { role, subject, hours };
        command.SetAction(parse =>
        {
            var environment = CliConfiguration.EnvironmentName;
            var options = TokenOptions.Load(CliConfiguration.Load(), environment);
            if (options.UsesIdentityProvider)
            {
                Console.Error.WriteLine("An identity provider is configured (Auth:Authority): sign in there for a token; `oversight token` is for local development only.");
                return 2;
            }
            var lifetime = TimeSpan.FromHours(parse.GetValue(hours));
            var token = new TokenIssuer(options, TimeProvider.System).Create(parse.GetValue(subject)!, parse.GetValue(role)!, lifetime);
            Console.Error.WriteLine($"Token for {parse.GetValue(subject)} as {parse.GetValue(role)}, valid {lifetime.TotalHours:0.##} h ({environment}):");
            Console.Out.WriteLine(token);
            return 0;
        });
        return command;
    }
}
