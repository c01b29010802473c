using System.Diagnostics;

namespace Oversight.Api.Tests.Support;

/// <summary>
/// <c>oversight</c> (its Release build) run as an operator runs it: a separate process configured by the variables it is given
/// alone, so the test runner's own environment and authentication settings do not leak into it.
/// </summary>
internal static class OversightCli
{
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var cli = Repository.PathTo("src", "Oversight.Cli", "bin", "Release", "net10.0", "oversight.dll");
        var start = new ProcessStartInfo("dotnet", [cli, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var inherited in (string[])["DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT", "Auth__SigningKey", "Auth__Authority"])
            start.Environment.Remove(inherited);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(10));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await error);
    }
}
