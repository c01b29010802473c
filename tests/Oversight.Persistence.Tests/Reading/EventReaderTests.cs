using Oversight.Domain.Inspections;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Reading;
using Oversight.Persistence.Tests.Support;

namespace Oversight.Persistence.Tests.Reading;

/// <summary>The auditor's reads on Marten's rows: merged streams in global order, as of a business date, as known at an instant, paged.</summary>
public sealed class EventReaderTests(MartenFixture fixture) : IClassFixture<MartenFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private EventReader Reader => new(fixture.DataSource, fixture.Schema);

    /// <summary>An inspection of <paramref name="organization"/>: scheduled, then two findings observed on the given dates, each recorded at its own instant.</summary>
    private async Task<string> InspectionAsync(Guid organization, params (DateTimeOffset RecordedAt, DateOnly ObservedOn)[] findings)
    {
        var stream = $"inspection-{Guid.CreateVersion7()}";
        var scheduled = new InspectionScheduled(Guid.CreateVersion7(), organization, OrganizationType.SupervisingOrganization, InspectionKind.Regular,
            new DateOnly(2026, 3, 1), "inspector-7");
        fixture.Clock.Set(T0);
        await AppendAsync(stream, new PendingEvent(scheduled, new DateOnly(2026, 3, 1)));
        foreach (var (recordedAt, observedOn) in findings)
        {
            fixture.Clock.Set(recordedAt);
            await AppendAsync(stream, new PendingEvent(new FindingRecorded(Guid.CreateVersion7(), FindingCategory.UnpaidWages, Severity.High, null, 1, observedOn,
                $"observed {observedOn:yyyy-MM-dd}"), observedOn));
        }
        return stream;
    }

    private async Task AppendAsync(string stream, PendingEvent e)
    {
        var head = await fixture.ReadHeadAsync(stream);
        await using var session = fixture.Store.LightweightSession();
        session.AppendChained(stream, head, [e], MartenFixture.Inspector, fixture.Clock.GetUtcNow());
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task Streams_are_merged_in_global_order_with_their_metadata_and_paged()
    {
        var organization = Guid.CreateVersion7();
        var first = await InspectionAsync(organization, (T0.AddDays(1), new DateOnly(2026, 3, 2)));
        var second = await InspectionAsync(organization, (T0.AddDays(2), new DateOnly(2026, 3, 3)));
        await InspectionAsync(Guid.CreateVersion7(), (T0.AddDays(3), new DateOnly(2026, 3, 4))); // another organization's

        await using (var session = fixture.Store.QuerySession())
        {
            var batch = session.CreateBatchQuery();
            var subjects = batch.AddItem(Reader.SubjectStreamsOf(organization));
            await batch.Execute();
            Assert.Equal([first, second], (await subjects).Order(StringComparer.Ordinal));
        }
        var all = await Reader.ReadStreamsAsync([first, second], new HistoryQuery());
        Assert.Equal(4, all.Count);
        Assert.Equal(all.OrderBy(e => e.Sequence), all);
        Assert.Equal(["InspectionScheduled", "FindingRecorded", "InspectionScheduled", "FindingRecorded"], all.Select(e => e.EventType));
        Assert.All(all, e => Assert.Equal(1, e.SchemaVersion));
        Assert.Equal(("inspector-7", "inspector", "corr-1"), (all[1].ActorId, all[1].ActorRole, all[1].CorrelationId));
        Assert.Equal(new DateOnly(2026, 3, 2), all[1].OccurredOn);
        Assert.Contains("\"narrative\": \"observed 2026-03-02\"", all[1].Json, StringComparison.Ordinal);

        var page1 = await Reader.ReadStreamsAsync([first, second], new HistoryQuery { Limit = 3 });
        var page2 = await Reader.ReadStreamsAsync([first, second], new HistoryQuery { Limit = 3, AfterSequence = page1[^1].Sequence });
        Assert.Equal(all.Select(e => e.EventId), page1.Concat(page2).Select(e => e.EventId));

        // An open page knows before its rows whether it is full, and where the next one starts.
        await using (var full = await Reader.OpenPageAsync([first, second], new HistoryQuery { Limit = 4 }))
        {
            Assert.Equal(all[^1].Sequence, full.Next);
            Assert.Equal(all.Select(e => e.EventId), await full.ReadAsync().Select(e => e.EventId).ToListAsync());
        }
        await using var last = await Reader.OpenPageAsync([first, second], new HistoryQuery { Limit = 5 });
        Assert.Null(last.Next);
    }

    [Fact]
    public async Task As_of_a_business_date_and_as_known_at_an_instant()
    {
        var organization = Guid.CreateVersion7();
        // The third finding was recorded with an earlier instant than the second (a node with a slow clock): a stream
        // as known at T0+2d is the prefix before the first event recorded at or after it, so the third is not in it.
        var stream = await InspectionAsync(organization,
            (T0.AddDays(1), new DateOnly(2026, 3, 2)), (T0.AddDays(5), new DateOnly(2026, 3, 20)), (T0.AddDays(1).AddHours(1), new DateOnly(2026, 3, 3)));

        var asOf = await Reader.ReadStreamsAsync([stream], new HistoryQuery { OccurredOnOrBefore = new DateOnly(2026, 3, 10) });
        Assert.Equal([1L, 2L, 4L], asOf.Select(e => e.Version));

        var known = await Reader.ReadStreamsAsync([stream], new HistoryQuery { RecordedBefore = T0.AddDays(2) });
        Assert.Equal([1L, 2L], known.Select(e => e.Version));

        await using var session = fixture.Store.QuerySession();
        var (findings, version) = await EventReader.FoldAsync(session, stream, 0, (count, e) => e is FindingRecorded ? count + 1 : count, T0.AddDays(2));
        Assert.Equal((1, 2L), (findings, version));
        var (asOfFindings, _) = await EventReader.FoldAsync(session, stream, 0, (count, e) => e is FindingRecorded ? count + 1 : count,
            asOf: new DateOnly(2026, 3, 10));
        Assert.Equal(2, asOfFindings);
    }

    [Fact]
    public async Task The_subject_index_survives_Martens_schema_management_and_serves_the_lookup()
    {
        await fixture.ExecuteAsync(EventReader.SubjectIndexSql(fixture.Schema));
        await using (var again = fixture.Create()) await again.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        Assert.Equal([EventReader.SubjectIndex], await fixture.QueryAsync(
            $"SELECT indexname::text FROM pg_indexes WHERE schemaname = '{fixture.Schema}' AND indexname = '{EventReader.SubjectIndex}'"));

        // A small test table would be scanned anyway: forbid sequential scans to see whether the index can serve the query.
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        await using (var off = new Npgsql.NpgsqlCommand("SET enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        await using var explain = new Npgsql.NpgsqlCommand(
            $"EXPLAIN SELECT DISTINCT stream_id FROM \"{fixture.Schema}\".mt_events WHERE type IN ('InspectionScheduled.v1', 'CorrectionOrderIssued.v1', " +
            $"'TraffickingSuspicionReferred.v1') AND data ->> 'organizationId' = '{Guid.Empty}'", connection);
        var lines = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        await using (var on = new Npgsql.NpgsqlCommand("RESET enable_seqscan", connection)) await on.ExecuteNonQueryAsync();
        var plan = string.Join("\n", lines);
        Assert.Contains(EventReader.SubjectIndex, plan, StringComparison.Ordinal);
    }
}
