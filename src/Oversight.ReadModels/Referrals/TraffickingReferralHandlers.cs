using Oversight.Domain.Common;
using Oversight.Domain.Inspections;
using Oversight.Domain.Referrals;
using Oversight.EventStore;
using Oversight.Runtime.Messaging;

namespace Oversight.ReadModels.Referrals;

/// <summary>
/// Every recorded finding is looked at once, after commit, by the handler runtime: a trafficking indicator
/// opens a referral to the investigating authority (<see cref="TraffickingSuspicionReferred"/>), exactly once
/// per finding even if the message is redelivered.
/// </summary>
public static class TraffickingReferralHandlers
{
    public const string OnFindingRecorded = "referral.on-finding-recorded";
    public const string SystemActor = "system:referrals";

    public static HandlerRegistry AddTraffickingReferrals(this HandlerRegistry handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        return handlers.Subscribe<FindingRecorded>(OnFindingRecorded, "FindingRecorded", async (finding, context, cancellationToken) =>
        {
            if (!Finding.TraffickingIndicators.Contains(finding.Category)) return [];
            var inspection = (await context.ReadStreamAsync(context.Headers["streamId"]!, cancellationToken))
                .Aggregate((Inspection?)null, (s, e) => Inspection.Evolve(s, e.Data))!;
            var stream = TraffickingReferrals.StreamId(finding.FindingId);
            var referred = (await context.ReadStreamAsync(stream, cancellationToken)).Count > 0;
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(context.Now, FiscalYear.Tokyo).DateTime);
            var decided = TraffickingReferrals.Decide(referred, inspection, finding, today);
            if (decided.Length > 0)
                await context.AppendAsync(stream, ExpectedVersion.NoStream, [.. decided.Select(e => new EventData(e, today))],
                    new AppendOptions { ActorId = SystemActor, ActorRole = "system" }, cancellationToken);
            return [];
        });
    }
}
