using System.Diagnostics;

namespace Oversight.Cli.Tests.Support;

/// <summary><c>oversight</c> run as an operator runs it: a separate process, configured by the environment, on one schema.</summary>
public static class CliProcess
{
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(string connectionString, string schema, params string[] arguments)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "oversight.dll");
        Assert.True(File.Exists(cli), $"CLI not built beside the tests: {cli}");
        var start = new ProcessStartInfo("dotnet", [cli, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__Oversight"] = connectionString,
                ["Runtime__EventSchema"] = schema,
                ["Runtime__ReadModelSchema"] = $"{schema}_rm",
            },
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
