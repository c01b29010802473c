using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Risk;

/// <summary>
/// Flags raised by scheduled deadline checks: the test moves the host's manual clock past a due date, the message worker (polling
/// every 100 ms) runs the check, which appends the overdue event; the flag follows in the risk projection. Each test has its own host.
/// </summary>
public sealed class ScheduledRiskFlagTests
{
    private static readonly TimeSpan Tokyo = TimeSpan.FromHours(9);

    [Fact]
    public async Task CorrectionOverdue_after_the_due_date_and_cleared_by_report_and_verification()
    {
        await using var api = await ReadSide.StartAsync(new DateTimeOffset(2023, 7, 1, 0, 0, 0, Tokyo), runDeadlines: true);
        var so = await api.RegisterSoAsync();
        var io = await api.RegisterIoAsync(so);
        var order = await api.WriteAsync(Roles.Officer, "/api/v1/correction-orders", TestData.ImprovementOrder(io, dueOn: "2023-08-31"));
        (await api.RiskAsync(io, order.Position())).AssertNoFlag("CorrectionOverdue");

        api.Clock.Set(new DateTimeOffset(2023, 9, 1, 0, 0, 1, Tokyo));
        var profile = await ReadSide.EventuallyAsync(() => api.GetJsonAsync(Roles.Analyst, $"/api/v1/organizations/{io}/risk"),
            p => p.Flag("CorrectionOverdue") is not null, what: "CorrectionOverdue", diagnose: api.DiagnoseAsync);
        var flag = profile.AssertFlag("CorrectionOverdue", "High", 15 * 1.5);
        var evidence = Assert.Single(flag.Events());
        Assert.Equal("CorrectionOrderOverdue", evidence.Type);
        Assert.True(evidence.Position > order.Position());
        Assert.Contains(io, await api.FlaggedAsync("CorrectionOverdue", evidence.Position));
        var history = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{io}/history");
        var overdue = Assert.Single(history.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "CorrectionOrderOverdue");
        Assert.Equal(evidence.Position, overdue.GetProperty("position").GetInt64());
        Assert.Equal("2023-09-01", overdue.GetProperty("occurredOn").GetString());

        // A report alone does not correct anything; the verification does.
        api.Clock.Set(new DateTimeOffset(2023, 9, 10, 0, 0, 0, Tokyo));
        var orderId = order.Id();
        await api.ReportCorrectionAsync(orderId, "2023-09-05");
        (await api.RiskAsync(io, await api.HeadAsync())).AssertFlag("CorrectionOverdue", "High", 22.5);
        var verified = await api.WriteAsync(Roles.Officer, $"/api/v1/correction-orders/{orderId}/verification", new { decision = "Verified", decidedOn = "2023-09-10" });
        var after = await api.RiskAsync(io, verified.Position());
        after.AssertNoFlag("CorrectionOverdue");
        Assert.DoesNotContain(io, await api.FlaggedAsync("CorrectionOverdue", verified.Position()));
    }

    [Fact]
    public async Task A_correction_order_written_before_any_node_ran_the_follow_ups_still_becomes_overdue()
    {
        // The first writes of a new store reach a node that runs no projections (so no follow-up subscription); the follow-ups
        // start later on another node and must still see them: a subscription "from the present" would skip them for good.
        var clock = new ManualClock(new DateTimeOffset(2023, 7, 1, 0, 0, 0, Tokyo));
        await using var writer = new ApiFactory
        {
            Clock = clock,
            Settings = new Dictionary<string, string> { ["Runtime:RunProjections"] = "false", ["Runtime:RunWorkers"] = "false" },
        };
        await writer.InitializeAsync();
        var io = await writer.RegisterIoAsync(await writer.RegisterSoAsync());
        var order = await writer.WriteAsync(Roles.Officer, "/api/v1/correction-orders", TestData.ImprovementOrder(io, dueOn: "2023-08-31"));

        clock.Set(new DateTimeOffset(2023, 9, 1, 0, 0, 1, Tokyo));
        await using var worker = new ApiFactory { Clock = clock, Database = writer.Database, OwnsDatabase = false, RunDeadlines = true };
        await worker.InitializeAsync();
        var profile = await ReadSide.EventuallyAsync(() => worker.GetJsonAsync(Roles.Analyst, $"/api/v1/organizations/{io}/risk"),
            p => p.Flag("CorrectionOverdue") is not null, what: "CorrectionOverdue", diagnose: worker.DiagnoseAsync);
        Assert.True(Assert.Single(profile.AssertFlag("CorrectionOverdue", "High", 15 * 1.5).Events()).Position > order.Position());
    }

    [Fact]
    public async Task InspectionOverdue_twelve_months_after_a_supervising_organizations_registration_and_cleared_by_an_inspection()
    {
        await using var api = await ReadSide.StartAsync(new DateTimeOffset(2023, 1, 10, 0, 0, 0, Tokyo), runDeadlines: true);
        var so = await api.RegisterSoAsync(permitFrom: "2023-01-01"); // due 2024-01-01
        var io = await api.RegisterIoAsync(so, registeredOn: "2023-01-10"); // due 2026-01-10
        (await api.RiskAsync(so, await api.HeadAsync())).AssertNoFlag("InspectionOverdue");

        api.Clock.Set(new DateTimeOffset(2024, 1, 2, 0, 0, 1, Tokyo));
        var profile = await ReadSide.EventuallyAsync(() => api.GetJsonAsync(Roles.Analyst, $"/api/v1/organizations/{so}/risk"),
            p => p.Flag("InspectionOverdue") is not null, what: "InspectionOverdue", diagnose: api.DiagnoseAsync);
        var flag = profile.AssertFlag("InspectionOverdue", "Warn", 10);
        var evidence = Assert.Single(flag.Events());
        Assert.Equal("InspectionOverdue", evidence.Type);
        Assert.Contains(so, await api.FlaggedAsync("InspectionOverdue", evidence.Position));
        // The implementing organization's interval is 36 months: not overdue.
        (await api.RiskAsync(io, evidence.Position)).AssertNoFlag("InspectionOverdue");

        api.Clock.Set(new DateTimeOffset(2024, 1, 16, 0, 0, 0, Tokyo));
        var inspection = await api.StartInspectionAsync(so, "2024-01-15");
        var completed = await api.CompleteInspectionAsync(inspection, "2024-01-16");
        (await api.RiskAsync(so, completed.Position())).AssertNoFlag("InspectionOverdue");
        Assert.DoesNotContain(so, await api.FlaggedAsync("InspectionOverdue", completed.Position()));
    }
}
