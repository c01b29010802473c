using Oversight.Cli.Tests.Support;

namespace Oversight.Cli.Tests.Projections;

/// <summary><c>oversight projections status | retire</c> as an operator runs them (blue/green itself is proven in the API tests).</summary>
public sealed class ProjectionsCommandTests(PostgresServer server)
{
    [Fact]
    public async Task Status_names_each_read_models_version_and_retire_finds_nothing_before_a_version_is_bumped()
    {
        var schema = $"p_{Guid.NewGuid():N}"[..16];
        Assert.Equal(0, (await CliProcess.RunAsync(server.ConnectionString, schema, "migrate")).ExitCode);

        var status = await CliProcess.RunAsync(server.ConnectionString, schema, "projections", "status", "--format", "csv");
        Assert.True(status.ExitCode == 0, status.Error);
        var lines = status.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("projection,version,position,head", lines[0], StringComparison.Ordinal);
        foreach (var projection in Oversight.ReadModels.Storage.OversightStorage.Projections(new Oversight.ReadModels.Risk.RiskOptions()))
            Assert.Contains(lines, l => l.StartsWith($"{projection.Name},{projection.Version},0,0,", StringComparison.Ordinal));

        // As a table it also counts Wolverine's dead letters (readiness does too, against Health:MaxDeadLetters).
        var table = await CliProcess.RunAsync(server.ConnectionString, schema, "projections", "status");
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("Dead letters (follow-up messages): 0", table.Out, StringComparison.Ordinal);

        var retire = await CliProcess.RunAsync(server.ConnectionString, schema, "projections", "retire", "--dry-run", "--format", "csv");
        Assert.True(retire.ExitCode == 0, retire.Error);
        Assert.Equal("projection,version,tables,progression", retire.Out.Trim());
    }
}
