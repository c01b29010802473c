using System.Net;
using Oversight.Api.Tests.Support;

namespace Oversight.Api.Tests.Coherence;

/// <summary>
/// A record of the past dated after today (Tokyo, by the host's clock) is refused on every write that records one: 422
/// <c>dated-after-today</c> naming the date, nothing written. Dates that plan the future are accepted.
/// </summary>
public sealed class DatedAfterTodayTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    public static TheoryData<string, string> Records => new()
    {
        { "so.revocation", "effectiveOn" }, { "so.revocation-hearing", "noticedOn" }, { "so.abolition", "effectiveOn" },
        { "io.register", "registeredOn" }, { "io.training-plan", "accreditedOn" }, { "io.disappearance", "reportedOn" },
        { "io.plan-revocation", "effectiveOn" },
        { "inspection.start", "startedOn" }, { "inspection.finding", "observedOn" }, { "inspection.completion", "completedOn" },
        { "inspection.cancellation", "cancelledOn" },
        { "order.issue", "issuedOn" }, { "order.report", "reportedOn" }, { "order.verification", "decidedOn" }, { "order.escalation", "escalatedOn" },
        { "sending.moc-report", "reportedOn" }, { "sending.moc-response", "respondedOn" },
        { "moc.sign", "signedOn" }, { "moc.end", "endedOn" },
    };

    private static string Tomorrow(ApiFactory api) =>
        Oversight.Domain.Common.BusinessDates.TodayInTokyo(api.Clock.GetUtcNow()).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Records))]
    public async Task A_record_dated_tomorrow_is_refused_naming_its_date(string endpoint, string field)
    {
        var write = WriteEndpoints.Get(endpoint);
        var body = write.Body(fixture.World);
        body[field] = Tomorrow(fixture.Api);
        using var client = fixture.Api.As(write.Role);
        var before = await fixture.Api.EventCountAsync();

        var problem = await (await client.PostJsonAsync(write.Path(fixture.World), body.ToJsonString())).ExpectProblem(HttpStatusCode.UnprocessableEntity, "dated-after-today");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await fixture.Api.EventCountAsync());
    }

    [Fact]
    public async Task Dates_that_plan_the_future_are_accepted()
    {
        using var inspector = fixture.Api.As(Oversight.Security.Roles.Inspector);
        var schedule = WriteEndpoints.Get("inspection.schedule").Body(fixture.World);
        schedule["scheduledOn"] = Tomorrow(fixture.Api);
        await (await inspector.PostJsonAsync("/api/v1/inspections", schedule.ToJsonString())).Expect(HttpStatusCode.Created);

        using var officer = fixture.Api.As(Oversight.Security.Roles.Officer);
        var suspension = new { from = Tomorrow(fixture.Api), to = "2026-12-31", reason = "Trainees disappeared at a high rate." };
        await (await officer.PostJsonAsync($"/api/v1/implementing-organizations/{fixture.World.ImplementingOrganization}/acceptance-suspensions", suspension))
            .Expect(HttpStatusCode.OK);
    }
}
