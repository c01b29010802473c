using System.Diagnostics;
using JasperFx.Events;
using Marten;
using Npgsql;
using Oversight.Persistence.Events;
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
            // Only findings that indicate trafficking start work (the others never become a message: one durable inbox row each),
            // as a message without the narrative, so an erasure leaves none of it in Wolverine's tables.
            relay.PublishEvent<FindingRecorded>((e, bus) => Finding.TraffickingIndicators.Contains(e.Data.Category)
                ? PublishAsync(e, bus, new TraffickingIndicatorRecorded(e.Data.FindingId, e.Data.Category, e.StreamKey!))
                : ValueTask.CompletedTask);
            relay.PublishEvent<CorrectionOrderIssued>(PublishAsync);
            relay.PublishEvent<SupervisingOrganizationRegistered>(PublishAsync);
            relay.PublishEvent<PermitRenewed>(PublishAsync);
            relay.PublishEvent<ImplementingOrganizationRegistered>(PublishAsync);
            relay.PublishEvent<InspectionCompleted>(PublishAsync);
            // From the first event, not "from present": a write made before the subscription's first start would be skipped.
            // Seeded history is skipped by its actor (below), and the seed marks it seen (MarkSeededHistorySeenAsync).
        });
    }

    /// <summary>
    /// After a bulk load: records the seeded events as seen by the subscription unless it has already run, so its first start
    /// does not read a national history only to skip it. It stops before the first event another actor wrote, so no live
    /// write made while the seed ran is skipped.
    /// </summary>
    public static async Task MarkSeededHistorySeenAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO "{schema}".mt_event_progression (name, last_seq_id, last_updated)
            SELECT $1, coalesce((SELECT min(seq_id) - 1 FROM "{schema}".mt_events WHERE user_name IS DISTINCT FROM $2 AND user_name IS DISTINCT FROM $3),
                                (SELECT max(seq_id) FROM "{schema}".mt_events), 0), now()
            ON CONFLICT (name) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{Subscription}:All" });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SeedActor });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ReferenceData.MocReferenceData.Actor }); // none of it starts follow-up work
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The actor of bulk-loaded history (<c>oversight seed</c>): not replayed to the handlers; the seed writes the deadlines it implies.</summary>
    public const string SeedActor = "seed";

    public const string ActivitySourceName = "Oversight.FollowUps";
    private static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>
    /// Hands an event to the handlers inside the trace of the request that appended it (its stored <c>traceparent</c>), so a write
    /// and the follow-up work it causes on any node are one trace.
    /// </summary>
    private static async ValueTask PublishAsync<T>(IEvent<T> e, IMessageBus bus) where T : notnull => await PublishAsync(e, bus, e);

    private static async ValueTask PublishAsync<T>(IEvent<T> e, IMessageBus bus, object message) where T : notnull
    {
        if (e.UserName == SeedActor) return;
        var parent = e.GetHeader(EventHeaders.TraceParent) is string traceParent && ActivityContext.TryParse(traceParent, null, out var context)
            ? context : default;
        using var activity = Source.StartActivity($"follow-up {typeof(T).Name}", ActivityKind.Producer, parent);
        await bus.PublishAsync(message);
    }

    /// <param name="options">Wolverine's options.</param>
    /// <param name="buildStorage">
    /// Whether Wolverine creates its tables when the host starts; false where <c>oversight migrate</c> owns the schema
    /// (<c>Runtime:ApplySchemaAtStart=false</c>): the host then only checks that they exist.
    /// </param>
    public static WolverineOptions AddFollowUps(this WolverineOptions options, bool buildStorage = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AutoBuildMessageStorageOnStartup = buildStorage ? JasperFx.AutoCreate.CreateOrUpdate : JasperFx.AutoCreate.None;
        options.RetryThenDeadLetter();
        options.Discovery.IncludeType(typeof(TraffickingReferralHandler));
        options.Discovery.IncludeType(typeof(CorrectionDeadlineHandlers));
        options.Discovery.IncludeType(typeof(InspectionDeadlineHandlers));
        options.Discovery.IncludeType(typeof(PermitDeadlineHandlers));
        options.Policies.AutoApplyTransactions();
        options.Policies.UseDurableLocalQueues();
        // Handlers of one message (an organization's registration sets its inspection and its permit deadlines) each get their own
        // chain, local queue and transaction: they write separate deadlines, and a failure of one is retried without the other.
        // Wolverine 6 still combines them by default, a mode it warns is obsolete and removes in 7.
        options.MultipleHandlerBehavior = MultipleHandlerBehavior.Separated;
        return options;
    }
}
