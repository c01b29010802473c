using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Inspections;
using Oversight.Domain.SupervisingOrganizations;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Oversight.ReadModels.FollowUps;

namespace Oversight.Cli.Seeding;

/// <summary>
/// Bulk-loaded history is not replayed to the follow-up handlers (the subscription skips the seed's actor), so the
/// deadlines live writes would have set are written here: the next inspection check of every organization still active,
/// the expiry check of every permit still in force and the due-date check of every correction order still open. Checks
/// already due run when the API starts and append what the rules decide (e.g. <see cref="InspectionOverdue"/> as of the
/// service's clock).
/// </summary>
internal static class SeedDeadlines
{
    public static async Task<int> ScheduleAsync(SeedDataset dataset, IDocumentStore store, NpgsqlDataSource dataSource, string schema,
        CancellationToken cancellationToken)
    {
        var organizations = new List<(Guid Id, OrganizationType Type, DateOnly RegisteredOn)>();
        var lastInspected = new Dictionary<Guid, DateOnly>();
        var checks = new List<(string Kind, Guid Subject, DateTimeOffset DueAt, object Check)>();
        foreach (var stream in dataset.Streams)
        {
            var first = stream.Events[0];
            switch (first.Data)
            {
                case SupervisingOrganizationRegistered r when Fold<SupervisingOrganization>(stream, SupervisingOrganization.Evolve) is { IsActive: true } so:
                    organizations.Add((r.OrganizationId, OrganizationType.SupervisingOrganization, first.OccurredOn));
                    checks.Add((nameof(CheckPermitExpiry), r.OrganizationId, Deadlines.OverdueFrom(so.Permit.To), new CheckPermitExpiry(r.OrganizationId, so.Permit.To)));
                    break;
                case ImplementingOrganizationRegistered r when Fold<ImplementingOrganization>(stream, ImplementingOrganization.Evolve)!.IsActive:
                    organizations.Add((r.OrganizationId, OrganizationType.ImplementingOrganization, first.OccurredOn));
                    break;
                case InspectionScheduled s when stream.Events[^1].Data is InspectionCompleted c:
                    if (!lastInspected.TryGetValue(s.OrganizationId, out var last) || c.CompletedOn > last) lastInspected[s.OrganizationId] = c.CompletedOn;
                    break;
                case CorrectionOrderIssued when Fold<CorrectionOrder>(stream, CorrectionOrder.Evolve) is { Status: CorrectionOrderStatus.Open or CorrectionOrderStatus.Reported } order
                                                && order.OverdueMarkedFor != order.DueOn:
                    checks.Add((nameof(CheckCorrectionOrderDue), order.Id, Deadlines.OverdueFrom(order.DueOn), new CheckCorrectionOrderDue(order.Id, order.DueOn)));
                    break;
            }
        }
        foreach (var (id, type, registeredOn) in organizations)
        {
            var due = InspectionDeadlines.DueOn(type, registeredOn, lastInspected.TryGetValue(id, out var last) ? last : null);
            checks.Add((nameof(CheckInspectionDue), id, Deadlines.OverdueFrom(due), new CheckInspectionDue(id, type, due)));
        }
        // One row per deadline (the table's key): the same check may be implied twice.
        var distinct = checks.DistinctBy(c => (c.Kind, c.Subject, c.DueAt)).ToList();
        var serializer = store.Options.Serializer();
        // Inserted, not copied: an API already running may have set some of them from the same events (a deadline is set once).
        foreach (var chunk in distinct.Chunk(5_000))
        {
            await using var command = dataSource.CreateCommand(
                $"""
                INSERT INTO "{schema}".{Deadlines.Table} (kind, subject, due_at, payload)
                SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::jsonb[]) ON CONFLICT DO NOTHING
                """);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. chunk.Select(c => c.Kind)] });
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. chunk.Select(c => c.Subject)] });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. chunk.Select(c => c.DueAt.ToUniversalTime())] });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. chunk.Select(c => serializer.ToJson(c.Check))], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return distinct.Count;
    }

    private static T? Fold<T>(SeedStream stream, Func<T?, object, T?> evolve) where T : class =>
        stream.Events.Aggregate((T?)null, (state, e) => evolve(state, e.Data));
}
