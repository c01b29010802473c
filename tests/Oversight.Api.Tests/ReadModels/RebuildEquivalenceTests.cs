using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Oversight.Api.Tests.Risk;
using Oversight.Api.Tests.Support;
using Marten;
using Marten.Events.Daemon.Coordination;
using Marten.Services;
using Oversight.Domain.Inspections;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;
using Oversight.ReadModels.Risk;
using Oversight.Security;

namespace Oversight.Api.Tests.ReadModels;

/// <summary>
/// Each read model, maintained live batch by batch as the API writes, equals the same model rebuilt from the first event:
/// snapshot its tables (every row as text, sorted), rebuild through the daemon, snapshot again.
/// </summary>
public sealed class RebuildEquivalenceTests
{
    private static readonly TimeSpan Tokyo = TimeSpan.FromHours(9);

    /// <summary>The read-model tables of each projection, by name prefix in the <c>readmodels</c> schema.</summary>
    private static readonly Dictionary<string, string[]> Prefixes = new()
    {
        ["statistics"] = ["stat_"],
        ["risk"] = ["risk_"],
        ["public-sanctions"] = ["sanction_organizations", "public_sanctions"],
    };

    private static async Task<SortedDictionary<string, List<string>>> SnapshotAsync(ApiFactory api, string projection)
    {
        await using var data = NpgsqlDataSource.Create(api.ConnectionString);
        return await Oversight.Testing.ReadModelSnapshot.TakeAsync(data, "readmodels", t => Prefixes[projection].Any(p => t.StartsWith(p, StringComparison.Ordinal)));
    }

    /// <summary>A host for <see cref="MixedScenarioAsync"/>: its clock after the scenario's first records and before the order's due date, deadlines on.</summary>
    internal static Task<ApiFactory> StartForMixedScenarioAsync() => ReadSide.StartAsync(new DateTimeOffset(2023, 8, 30, 0, 0, 0, Tokyo), runDeadlines: true);

    internal static async Task MixedScenarioAsync(ApiFactory api)
    {
        var so = await api.RegisterSoAsync("13", "2023-01-01");
        var other = await api.RegisterSoAsync("27", "2023-01-01");
        var doomed = await api.RegisterSoAsync("13", "2023-01-01");
        var entity = TestData.CorporateNumber();
        var sameEntity = await api.RegisterSoAsync("01", "2023-01-01", corporateNumber: entity);
        var sender = await api.RegisterSenderAsync("VN");
        var ph = await api.RegisterSenderAsync("PH");

        var io = await api.RegisterIoAsync(so, "22");
        var moved = await api.RegisterIoAsync(doomed, "22", industry: "Agriculture");
        var twin = await api.RegisterIoAsync(other, "14", corporateNumber: entity);
        var plan = await api.AccreditAsync(io, trainees: 20, sendingOrganizationId: sender);
        await api.AccreditAsync(io, trainees: 5);
        await api.AccreditAsync(moved);
        await api.AccreditAsync(twin, sendingOrganizationId: ph, country: "PH");

        var inspection = await api.StartInspectionAsync(io, "2023-06-01");
        var wages = await api.FindAsync(inspection, "UnpaidWages", "2023-06-01");
        var minor = await api.FindAsync(inspection, "RecordKeeping", "2023-06-01");
        await api.CompleteInspectionAsync(inspection, "2023-06-02");
        var second = await api.StartInspectionAsync(io, "2023-08-01");
        await api.FindAsync(second, "Dormitory", "2023-08-01");
        await api.WriteAsync(Roles.Inspector, $"/api/v1/inspections/{second}/findings/{(await api.FindAsync(second, "ViolenceOrThreats", "2023-08-01")).Id()}/retraction",
            new { reason = "Not substantiated." });
        await api.InspectAsync(so, "2023-05-01", "2023-05-02");
        var cancelled = await api.StartInspectionAsync(other, "2023-07-01");
        await api.WriteAsync(Roles.Inspector, $"/api/v1/inspections/{cancelled}/cancellation", new { cancelledOn = "2023-07-02", reason = "Flooded." });

        var overdue = (await api.WriteAsync(Roles.Officer, "/api/v1/correction-orders", TestData.ImprovementOrder(io, inspection, [wages.Id(), minor.Id()]))).Id();
        var corrected = (await api.WriteAsync(Roles.Officer, "/api/v1/correction-orders", TestData.ImprovementOrder(io, inspection, [minor.Id()]))).Id();
        await api.ReportCorrectionAsync(corrected);
        await api.WriteAsync(Roles.Officer, $"/api/v1/correction-orders/{corrected}/verification", new { decision = "Verified", decidedOn = "2023-08-25" });

        await api.WriteAsync(Roles.Officer, $"/api/v1/implementing-organizations/{io}/disappearances", new { count = 2, reportedOn = "2023-08-14", planNumber = plan });
        var report = (await api.ReportSenderAsync(sender, "2023-07-01")).Id();
        await api.RespondAsync(sender, report, "Investigating", "2023-07-15");
        await api.RespondAsync(sender, report, "LicenceRevoked", "2023-08-15");

        await api.WriteAsync(Roles.Officer, $"/api/v1/supervising-organizations/{doomed}/business-suspensions",
            new { from = "2023-05-01", to = "2023-06-30", partial = false, legalBasis = "Art.37(3)", reason = "Supervision duties not performed." });
        await api.RevokePermitAsync(doomed, "2023-07-01", "Art.37(1)(iii)");
        await api.WriteAsync(Roles.Officer, $"/api/v1/implementing-organizations/{moved}/supervising-organization",
            new { supervisingOrganizationId = so, effectiveOn = "2023-07-15" });
        await api.RevokePermitAsync(sameEntity, "2023-03-31", "Art.37(1)(i)");
        await api.WriteAsync(Roles.Officer, $"/api/v1/supervising-organizations/{other}/acceptance-suspensions",
            new { from = "2023-09-01", to = "2024-02-29", reason = "Trainees disappeared at a high rate." });

        // The order's due date passes: the scheduled check appends CorrectionOrderOverdue (the verified order's check appends nothing).
        api.Clock.Set(new DateTimeOffset(2023, 9, 1, 0, 0, 1, Tokyo));
        await ReadSide.EventuallyAsync(() => api.GetJsonAsync(Roles.Analyst, $"/api/v1/organizations/{io}/risk"),
            p => p.Flag("CorrectionOverdue") is not null, what: "CorrectionOverdue");
        Assert.NotEqual(Guid.Empty, overdue);

        // Records of 2024 once the clock has reached them (a record of the past is not dated after today).
        api.Clock.Set(new DateTimeOffset(2024, 2, 2, 0, 0, 0, Tokyo));
        await api.ReportSenderAsync(ph, "2024-01-05");
        await api.RevokePlansAsync(twin, "2024-02-01");
    }

    [Fact]
    public async Task Statistics_risk_and_public_sanctions_equal_their_rebuilds()
    {
        await using var api = await StartForMixedScenarioAsync();
        await MixedScenarioAsync(api);
        var head = await api.SettledAsync(); // the deadline checks the clock passed have appended what they will
        foreach (var projection in Prefixes.Keys)
            await ReadSide.EventuallyAsync(() => api.ProgressAsync(projection), p => p >= head, what: $"{projection} at {head}");

        var coordinator = await AssertEqualToRebuildsAsync(api, head, everyTableFilled: true);

        // The projections keep running after the rebuilds.
        await coordinator.ResumeAsync();
        var later = await api.RegisterSoAsync("47");
        var profile = await api.RiskAsync(later, await api.HeadAsync());
        // Registered with a 2022 permit while the clock reads 2024-02: at most its inspection is overdue, nothing else.
        Assert.All(profile.GetProperty("flags").EnumerateArray(), f => Assert.Equal("InspectionOverdue", f.GetProperty("flag").GetString()));
    }

    [Fact]
    public async Task Concurrent_writers_rolled_back_appends_and_a_transaction_held_open_leave_read_models_equal_to_their_rebuilds()
    {
        await using var api = await ReadSide.StartAsync();
        var organizations = new List<Guid>();
        var inspections = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            var so = await api.RegisterSoAsync(i % 2 == 0 ? "13" : "27");
            organizations.Add(so);
            inspections.Add(await api.StartInspectionAsync(i < 8 ? so : await api.RegisterIoAsync(so)));
        }
        var store = api.Services.GetRequiredService<IDocumentStore>();
        await using var data = NpgsqlDataSource.Create(api.ConnectionString);
        var inspector = new AppendMetadata { ActorId = "inspector-9", ActorRole = Roles.Inspector };
        static PendingEvent Finding(string category) => new(new FindingRecorded(Guid.CreateVersion7(), Enum.Parse<FindingCategory>(category), Severity.High,
            "Art.16(1)(iv)", 3, new DateOnly(2023, 6, 1), "Recorded beside the API."), new DateOnly(2023, 6, 1));

        // An append that draws its sequence number first and commits at least 5 s later, once the API's writers have committed past it.
        async Task<long> AppendAsync(Guid inspection, string category, bool commit, TimeSpan hold, TaskCompletionSource<long>? drawn = null, Task? release = null)
        {
            await using var connection = await data.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var session = store.LightweightSession(SessionOptions.ForTransaction(transaction, shouldAutoCommit: false));
            var stream = $"inspection-{inspection}";
            var head = ChainedAppends.HeadOf(await session.Events.FetchStreamAsync(stream));
            var action = session.AppendChained(stream, head, [Finding(category)], inspector, api.Clock.GetUtcNow());
            await session.SaveChangesAsync();
            drawn?.SetResult(action.Events[0].Sequence);
            await Task.WhenAll(Task.Delay(hold), release ?? Task.CompletedTask);
            if (commit) await transaction.CommitAsync();
            else await transaction.RollbackAsync(); // its sequence number is burnt for good
            return action.Events[0].Sequence;
        }
        var (drawn, writersDone) = (new TaskCompletionSource<long>(), new TaskCompletionSource());
        var held = AppendAsync(inspections[8], "ConfiscatedPassportOrResidenceCard", commit: true, TimeSpan.FromSeconds(5), drawn, writersDone.Task);
        var heldSequence = await drawn.Task;

        // Eight writers through the API, each on an inspection of its own (trafficking indicators among them), and rolled-back
        // appends on another one in between.
        string[] categories = ["RecordKeeping", "UnpaidWages", "Dormitory", "IllegalOvertime"];
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++) await api.FindAsync(inspections[w], categories[(w + i) % categories.Length]);
        })).ToList();
        var rolledBack = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++) await AppendAsync(inspections[9], "ViolenceOrThreats", commit: false, TimeSpan.FromMilliseconds(20));
        });
        await Task.WhenAll(writers);
        await rolledBack;
        // The scenario happened: events numbered after the held one committed while it was still open.
        await using (var committed = data.CreateCommand("SELECT max(seq_id) FROM oversight.mt_events"))
            Assert.True((long)(await committed.ExecuteScalarAsync())! > heldSequence, "nothing committed past the held append");
        writersDone.SetResult();
        await held;

        // Rollbacks burnt numbers: fewer events than the highest number.
        var head = await api.SettledAsync();
        await using (var count = data.CreateCommand("SELECT count(*) FROM oversight.mt_events"))
            Assert.True((long)(await count.ExecuteScalarAsync())! < head);
        foreach (var projection in Prefixes.Keys)
            await ReadSide.EventuallyAsync(() => api.ProgressAsync(projection), p => p >= head, what: $"{projection} at {head}");

        // Nothing skipped, nothing applied twice: the risk model holds as many findings as were committed.
        await using (var findings = data.CreateCommand($"SELECT (SELECT count(*) FROM oversight.mt_events WHERE type = 'FindingRecorded.v1') = (SELECT count(*) FROM readmodels.\"{Oversight.Persistence.Projections.ProjectionTables.VersionedName("risk_findings", new RiskProjection(new RiskOptions()).Version)}\")"))
            Assert.True((bool)(await findings.ExecuteScalarAsync())!);
        await AssertEqualToRebuildsAsync(api, head, everyTableFilled: false);
    }

    /// <summary>
    /// Pauses the node's daemon and rebuilds each projection from the first event with a second one (Marten empties its tables
    /// first): every table must hold the same rows as it did live. Returns the paused coordinator.
    /// </summary>
    private static async Task<IProjectionCoordinator> AssertEqualToRebuildsAsync(ApiFactory api, long head, bool everyTableFilled)
    {
        var coordinator = api.Services.GetRequiredService<IProjectionCoordinator>();
        await coordinator.PauseAsync();
        using var daemon = await api.Services.GetRequiredService<IDocumentStore>().BuildProjectionDaemonAsync();
        foreach (var projection in Prefixes.Keys)
        {
            var live = await SnapshotAsync(api, projection);
            Assert.NotEmpty(live);
            if (everyTableFilled)
                Assert.All(live, t => Assert.True(t.Value.Count > 0 || t.Key.StartsWith("risk_inspection_overdue", StringComparison.Ordinal),
                    $"{projection}: {t.Key} has {t.Value.Count} rows"));

            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(1), CancellationToken.None);
            Assert.True(await api.ProgressAsync(projection) >= head);
            var rebuilt = await SnapshotAsync(api, projection);

            Assert.Equal(live.Keys, rebuilt.Keys);
            foreach (var table in live.Keys)
                Assert.True(live[table].SequenceEqual(rebuilt[table]),
                    $"{projection}.{table} differs after a rebuild.\nlive only:\n{string.Join('\n', live[table].Except(rebuilt[table]))}\nrebuilt only:\n{string.Join('\n', rebuilt[table].Except(live[table]))}");
        }

        return coordinator;
    }
}
