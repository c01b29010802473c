using Npgsql;
using Oversight.Persistence.Tests.Support;

namespace Oversight.Persistence.Tests.Writes;

/// <summary>The write pool's sessions ask for generic plans (ADR 12), unless turned off or the operator chose a plan mode.</summary>
public sealed class WriteDataSourceTests(MartenFixture fixture) : IClassFixture<MartenFixture>
{
    [Fact]
    public async Task Write_connections_plan_generically_by_default()
    {
        await using var writes = WriteDataSource.Create(fixture.ConnectionString);
        Assert.Equal("force_generic_plan", await PlanModeAsync(writes));
    }

    [Fact]
    public async Task Turned_off_or_chosen_by_the_operator_the_setting_is_left_alone()
    {
        await using var off = WriteDataSource.Create(fixture.ConnectionString, genericPlans: false);
        Assert.Equal("auto", await PlanModeAsync(off));

        var chosen = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Options = "-c plan_cache_mode=force_custom_plan" }.ConnectionString;
        await using var operatorChoice = WriteDataSource.Create(chosen);
        Assert.Equal("force_custom_plan", await PlanModeAsync(operatorChoice));
    }

    private static async Task<string?> PlanModeAsync(WriteDataSource writes)
    {
        await using var command = writes.Source.CreateCommand("SHOW plan_cache_mode");
        return (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
