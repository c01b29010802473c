using System.Text.RegularExpressions;

namespace Oversight.Cli.Tests.Seeding;

/// <summary><c>oversight seed</c> as an operator runs it: a separate process, configured by the environment.</summary>
public sealed partial class SeedCommandTests(PostgresServer server)
{
    private Task<(int ExitCode, string Out, string Error)> RunAsync(string schema, params string[] arguments) =>
        Support.CliProcess.RunAsync(server.ConnectionString, schema, arguments);

    [Theory]
    [InlineData("--profile", "fy2021")]
    [InlineData("--scale", "0")]
    [InlineData("--scale", "2.5")]
    [InlineData("--scale", "-1")]
    [InlineData("--seed", "many")]
    public async Task Invalid_options_are_refused_with_a_message(string option, string value)
    {
        var arguments = option == "--profile" ? new[] { "seed", option, value } : ["seed", "--profile", "fy2022", option, value];

        var (exitCode, output, error) = await RunAsync("seed_cli_invalid", arguments);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(option == "--seed" ? "many" : option, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seeds_an_empty_store_then_refuses_to_seed_it_again()
    {
        var (exitCode, output, error) = await RunAsync("seed_cli", "seed", "--profile", "fy2022", "--scale", "0.01", "--seed", "42");

        Assert.True(exitCode == 0, $"seed exited {exitCode}: {error}");
        var last = output.TrimEnd().Split('\n')[^1].TrimEnd('\r');
        Assert.Matches(SeededLine(), last);

        var (again, _, refusal) = await RunAsync("seed_cli", "seed", "--profile", "fy2022", "--scale", "0.01");

        Assert.Equal(1, again);
        Assert.Contains("not empty", refusal, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^seeded events=[0-9]+ streams=[0-9]+ seconds=[0-9]+(\.[0-9]+)? events_per_second=[0-9]+$")]
    private static partial Regex SeededLine();
}
