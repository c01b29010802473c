using System.Diagnostics;
using Npgsql;

namespace Oversight.Api.Tests.Deployment;

/// <summary>No Docker engine runs here: docker-compose validates the file, and its values are checked against the app's.</summary>
public sealed class ComposeFileTests
{
    private static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));

    [Fact]
    public async Task The_compose_file_is_valid_and_its_database_matches_the_default_connection_string()
    {
        var compose = Path.Combine(RepoRoot(), "docker-compose.yml");
        var start = new ProcessStartInfo("docker-compose", ["-f", compose, "config"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker-compose could not start (infra/test.sh installs it)");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);

        // The development connection string (appsettings.Development.json) must reach the composed database.
        var settings = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "src", "Oversight.Api", "appsettings.Development.json")));
        var connection = new NpgsqlConnectionStringBuilder(settings.RootElement.GetProperty("ConnectionStrings").GetProperty("Oversight").GetString());
        Assert.Contains($":{connection.Port}:5432", output, StringComparison.Ordinal);
        Assert.Contains($"POSTGRES_USER: {connection.Username}", output, StringComparison.Ordinal);
        Assert.Contains($"POSTGRES_PASSWORD: {connection.Password}", output, StringComparison.Ordinal);
        Assert.Contains($"POSTGRES_DB: {connection.Database}", output, StringComparison.Ordinal);
    }
}
