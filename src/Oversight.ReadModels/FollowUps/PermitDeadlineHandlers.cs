using JasperFx.Events;
using Marten;
using Oversight.Domain.SupervisingOrganizations;
using Oversight.Persistence.Integrity;

namespace Oversight.ReadModels.FollowUps;

/// <summary>Checked from the day after a permit's last day: the permit lapses unless it was renewed or ended.</summary>
public sealed record CheckPermitExpiry(Guid OrganizationId, DateOnly PermitTo);

/// <summary>
/// A registration or renewal sets the deadline of the permit's term; the check appends <see cref="PermitLapsed"/> when the
/// term ran out without a renewal, so statistics and risk see the organization end (rules refuse acts after the term anyway).
/// </summary>
public static class PermitDeadlineHandlers
{
    public const string SystemActor = "system:permit-expiry";

    public static void Handle(IEvent<SupervisingOrganizationRegistered> registered, IDocumentSession session)
    {
        ArgumentNullException.ThrowIfNull(registered);
        Set(session, registered.Data.OrganizationId, registered.Data.PermitTo);
    }

    public static void Handle(IEvent<PermitRenewed> renewed, IDocumentSession session)
    {
        ArgumentNullException.ThrowIfNull(renewed);
        Set(session, Storage.StreamIds.IdOf(renewed.StreamKey!), renewed.Data.To);
    }

    public static async Task Handle(CheckPermitExpiry check, IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(session);
        var stream = SupervisingOrganization.StreamId(check.OrganizationId);
        var events = await session.Events.FetchStreamAsync(stream, token: cancellationToken);
        if (events.Count == 0) return;
        var state = events.Aggregate((SupervisingOrganization?)null, (s, e) => SupervisingOrganization.Evolve(s, e.Data));
        var today = SystemWrites.Today(clock);
        // The lapse's business date is its own (the day after the term), not the day the check ran.
        if (SupervisingOrganizationRules.Decide(state, new MarkPermitLapsed(today)) is [PermitLapsed lapsed] decided)
            session.AppendChained(stream, ChainedAppends.HeadOf(events), SystemWrites.On(lapsed.LapsedOn, decided), SystemWrites.As(SystemActor), clock.GetUtcNow());
    }

    private static void Set(IDocumentSession session, Guid organizationId, DateOnly permitTo)
    {
        ArgumentNullException.ThrowIfNull(session);
        Deadlines.Set(session, session.DocumentStore.Options.Events.DatabaseSchemaName, organizationId, Deadlines.OverdueFrom(permitTo),
            new CheckPermitExpiry(organizationId, permitTo));
    }
}
