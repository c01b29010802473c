using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.Inspections;
using Oversight.Domain.Referrals;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;

namespace Oversight.ReadModels.Tests.FollowUps;

/// <summary>
/// Follow-up work on Marten and Wolverine (ADR 8): events reach the handlers through Marten's subscription, handlers append
/// through Wolverine's transactional middleware, and deadlines fire by the business clock the test moves — once each.
/// </summary>
public sealed class FollowUpTests(FollowUpHost node) : IClassFixture<FollowUpHost>
{
    private static readonly AppendMetadata Officer = new() { ActorId = "officer-1", ActorRole = "officer" };

    private async Task AppendAsync(string stream, DateOnly on, params object[] events)
    {
        await using var session = node.Store.LightweightSession();
        var head = ChainedAppends.HeadOf(await session.Events.FetchStreamAsync(stream));
        session.AppendChained(stream, head, [.. events.Select(e => new PendingEvent(e, on))], Officer, node.Clock.GetUtcNow());
        await session.SaveChangesAsync();
    }

    private async Task<List<string>> TypesAsync(string stream) =>
        await node.QueryAsync($"SELECT type FROM {{schema}}.mt_events WHERE stream_id = '{stream}' ORDER BY version");

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            await Task.Delay(100, timeout.Token);
        }
    }

    [Fact]
    public async Task A_trafficking_finding_is_referred_once_and_other_findings_are_not()
    {
        var inspection = Guid.CreateVersion7();
        var (trafficking, other) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var day = new DateOnly(2022, 12, 20);
        await AppendAsync(Inspection.StreamId(inspection), day,
            new InspectionScheduled(inspection, Guid.CreateVersion7(), OrganizationType.ImplementingOrganization, InspectionKind.Unannounced, day, "inspector-7"),
            new InspectionStarted(day),
            new FindingRecorded(other, FindingCategory.RecordKeeping, Severity.Low, null, 0, day, "Attendance sheets incomplete."),
            new FindingRecorded(trafficking, FindingCategory.ConfiscatedPassportOrResidenceCard, Severity.Critical, null, 3, day, "Passports in the safe."));

        var referral = await EventuallyAsync(() => TypesAsync(TraffickingReferrals.StreamId(trafficking)), types => types.Count > 0);
        Assert.Equal(["TraffickingSuspicionReferred.v1"], referral);
        Assert.Equal(["system"], await node.QueryAsync(
            $"SELECT headers->>'actorRole' FROM {{schema}}.mt_events WHERE stream_id = '{TraffickingReferrals.StreamId(trafficking)}'"));
        Assert.Empty(await TypesAsync(TraffickingReferrals.StreamId(other)));
        var verification = await new ChainVerifier(node.DataSource, node.Schema).VerifyStreamAsync(TraffickingReferrals.StreamId(trafficking));
        Assert.True(verification.IsValid, verification.Reason + " " + string.Join(" | ", await node.QueryAsync(
            $"SELECT concat_ws(' ; ', correlation_id, causation_id, user_name, headers::text, timestamp::text) FROM {{schema}}.mt_events WHERE stream_id = '{TraffickingReferrals.StreamId(trafficking)}'")));
    }

    [Fact]
    public async Task A_correction_order_becomes_overdue_when_the_business_clock_passes_its_due_date_once()
    {
        var order = Guid.CreateVersion7();
        var stream = CorrectionOrder.StreamId(order);
        await AppendAsync(stream, new DateOnly(2022, 12, 1), new CorrectionOrderIssued(order, Guid.CreateVersion7(), OrganizationType.SupervisingOrganization,
            null, CorrectionIssuer.Otit, CorrectionOrderKind.Guidance, new DateOnly(2022, 12, 1), new DateOnly(2023, 1, 31), [], null, null));

        // The deadline is recorded from the event; before the business clock reaches it nothing happens.
        await EventuallyAsync(() => node.QueryAsync($"SELECT kind FROM {{schema}}.followup_deadlines WHERE subject = '{order}'"), rows => rows.Count == 1);
        await Task.Delay(500);
        Assert.Equal(["CorrectionOrderIssued.v1"], await TypesAsync(stream));

        node.Clock.Set(new DateTimeOffset(2023, 2, 1, 0, 0, 1, TimeSpan.FromHours(9)));
        var types = await EventuallyAsync(() => TypesAsync(stream), t => t.Count > 1);
        Assert.Equal(["CorrectionOrderIssued.v1", "CorrectionOrderOverdue.v1"], types);
        Assert.Empty(await node.QueryAsync($"SELECT kind FROM {{schema}}.followup_deadlines WHERE subject = '{order}'"));
        await Task.Delay(500);
        Assert.Equal(2, (await TypesAsync(stream)).Count);
    }
}
