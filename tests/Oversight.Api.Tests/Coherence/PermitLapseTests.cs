using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Coherence;

/// <summary>
/// A permit that runs out without a renewal lapses: the scheduled check appends <c>PermitLapsed</c> the day after its last day
/// (business clock), and the organization reads as ended: in its state, the statistics and what may still be recorded about it.
/// </summary>
public sealed class PermitLapseTests
{
    private static readonly TimeSpan Tokyo = TimeSpan.FromHours(9);

    [Fact]
    public async Task An_unrenewed_permit_lapses_the_day_after_its_term_and_the_organization_ends_there()
    {
        await using var api = await ReadSide.StartAsync(new DateTimeOffset(2023, 1, 1, 0, 0, 0, Tokyo), runDeadlines: true);
        var lapsing = await api.RegisterSoAsync(permitFrom: "2018-04-01"); // 2018-04-01 – 2023-03-31
        var renewed = await api.RegisterSoAsync(permitFrom: "2018-04-01");
        await api.WriteAsync(Roles.Officer, $"/api/v1/supervising-organizations/{renewed}/renewal",
            new { permitFrom = "2023-04-01", permitTo = "2028-03-31", ratedExcellent = false });

        api.Clock.Set(new DateTimeOffset(2023, 4, 1, 0, 0, 1, Tokyo));
        using var auditor = api.As(Roles.Auditor);
        var state = await ReadSide.EventuallyAsync(
            async () => (await (await auditor.GetAsync($"/api/v1/organizations/{lapsing}")).Expect(HttpStatusCode.OK)).GetProperty("state"),
            s => s.GetProperty("status").GetString() == "Lapsed", what: "the permit to lapse", diagnose: api.DiagnoseAsync);
        Assert.Equal("2023-04-01", state.GetProperty("endedOn").GetString());
        var history = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{lapsing}/history");
        var lapse = Assert.Single(history.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "PermitLapsed");
        Assert.Equal("2023-04-01", lapse.GetProperty("occurredOn").GetString());

        // Permitted at the end of FY2022 (its last day), not at the end of FY2023; the renewed one is permitted at both.
        var head = await api.SettledAsync();
        long Permitted(System.Text.Json.JsonElement stats) => stats.GetProperty("total").GetInt64();
        Assert.Equal(2, Permitted(await api.GetJsonAsync(Roles.Analyst, $"/api/v1/statistics/organizations?fiscalYear=2022&minPosition={head}")));
        Assert.Equal(1, Permitted(await api.GetJsonAsync(Roles.Analyst, $"/api/v1/statistics/organizations?fiscalYear=2023&minPosition={head}")));
        var renewedState = (await (await auditor.GetAsync($"/api/v1/organizations/{renewed}")).Expect(HttpStatusCode.OK)).GetProperty("state");
        Assert.Equal("Active", renewedState.GetProperty("status").GetString());

        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync($"/api/v1/supervising-organizations/{lapsing}/revocation",
            new { effectiveOn = "2023-03-15", legalBasis = "Art.37(1)(iv)", reason = "Falsified reports." }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "organization-not-active");
    }
}
