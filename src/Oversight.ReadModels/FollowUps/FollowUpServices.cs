using Marten;
using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Inspections;
using Oversight.Domain.SupervisingOrganizations;
using Wolverine;
using Wolverine.Marten;

namespace Oversight.ReadModels.FollowUps;

/// <summary>
/// The follow-up work composed once for every host (ADR 8): Marten's async daemon publishes, in order, the events that
/// start follow-up work to Wolverine (subscription <c>follow-ups</c>); Wolverine runs the handlers on durable local
/// queues with its transactional middleware (each handler's appends commit with its inbox record).
/// </summary>
public static class FollowUpServices
{
    public const string Subscription = "follow-ups";

    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddFollowUps(this MartenServiceCollectionExtensions.MartenConfigurationExpression marten)
    {
        ArgumentNullException.ThrowIfNull(marten);
        return marten.PublishEventsToWolverine(Subscription, relay =>
        {
            relay.PublishEvent<FindingRecorded>();
            relay.PublishEvent<CorrectionOrderIssued>();
            relay.PublishEvent<SupervisingOrganizationRegistered>();
            relay.PublishEvent<ImplementingOrganizationRegistered>();
            relay.PublishEvent<InspectionCompleted>();
        });
    }

    public static WolverineOptions AddFollowUps(this WolverineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Discovery.IncludeType(typeof(TraffickingReferralHandler));
        options.Discovery.IncludeType(typeof(CorrectionDeadlineHandlers));
        options.Discovery.IncludeType(typeof(InspectionDeadlineHandlers));
        options.Policies.AutoApplyTransactions();
        options.Policies.UseDurableLocalQueues();
        return options;
    }
}
