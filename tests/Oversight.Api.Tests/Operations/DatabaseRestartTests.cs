using System.Collections.Concurrent;
using System.Net;
using Npgsql;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Operations;

/// <summary>
/// PostgreSQL stopped and started again while inspectors write: every answer is 201 or a 503 problem with <c>Retry-After</c>
/// (never a 500); a client that retries under the same <c>Idempotency-Key</c> until it gets 201 finds each of its findings
/// stored exactly once; the API is ready again by itself and its projections reach the head.
/// </summary>
[Collection(HeavyTests.Name)]
public sealed class DatabaseRestartTests : IAsyncLifetime
{
    private const int Writers = 8;
    private PrivateCluster _cluster = null!;
    private ApiFactory _api = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await PrivateCluster.StartAsync();
        _api = new ApiFactory { ServerConnectionString = _cluster.ConnectionString };
        await _api.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_restart_under_write_load_answers_no_500_and_keeps_every_acknowledged_write_exactly_once()
    {
        var organization = await _api.RegisterSupervisingOrganizationAsync();
        var inspections = new List<Guid>();
        for (var i = 0; i < Writers; i++) inspections.Add(await _api.ScheduleInspectionAsync(organization));

        var acknowledged = new ConcurrentDictionary<string, Guid>();
        var unexpected = new ConcurrentQueue<string>();
        var unavailable = 0;
        using var stop = new CancellationTokenSource();
        var writers = inspections.Select(inspection => Task.Run(async () =>
        {
            using var inspector = _api.As(Roles.Inspector);
            while (!stop.IsCancellationRequested)
            {
                var (key, finding) = (Guid.NewGuid().ToString(), Guid.NewGuid());
                // A client that was not answered 201 retries the same request under the same key until it is.
                for (var attempt = 0; ; attempt++)
                {
                    using var response = await inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding(findingId: finding), key);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged[key] = finding;
                        break;
                    }
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable || response.Headers.RetryAfter?.Delta is null
                        || response.Content.Headers.ContentType?.MediaType != "application/problem+json" || attempt > 200)
                    {
                        unexpected.Enqueue($"{(int)response.StatusCode} {response.Headers.RetryAfter} {body}");
                        return;
                    }
                    Interlocked.Increment(ref unavailable);
                    await Task.Delay(250);
                }
            }
        })).ToArray();

        await ReadSide.EventuallyAsync(() => Task.FromResult(acknowledged.Count), n => n >= 40 || !unexpected.IsEmpty, what: "writes before the restart");
        await _cluster.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await _cluster.StartAgainAsync();
        var atRestart = acknowledged.Count;
        await ReadSide.EventuallyAsync(() => Task.FromResult(acknowledged.Count), n => n >= atRestart + 40 || !unexpected.IsEmpty,
            TimeSpan.FromSeconds(90), "writes after the restart");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(unexpected.IsEmpty, string.Join("\n", unexpected.Take(3)) + "\n" + string.Join("\n", _api.Errors.Entries.Where(e => e.Contains("Unhandled", StringComparison.OrdinalIgnoreCase) || e.Contains("unhandled", StringComparison.Ordinal)).Take(2)));
        Assert.True(unavailable > 0, "the restart was not noticed by any request");
        // Exactly the acknowledged findings, each once, under the key that was acknowledged.
        var stored = new List<(string Key, Guid Finding)>();
        await using (var connection = new NpgsqlConnection(_api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT headers->>'idempotencyKey', (data->>'findingId')::uuid FROM oversight.mt_events WHERE type = 'FindingRecorded.v1'", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) stored.Add((reader.GetString(0), reader.GetGuid(1)));
        }
        Assert.Equal(acknowledged.Count, stored.Count);
        Assert.Equal(acknowledged.OrderBy(a => a.Key).Select(a => ($"tester:{a.Key}", a.Value)), stored.OrderBy(s => s.Key)); // keys are per caller

        using var anonymous = _api.CreateClient();
        await ReadSide.EventuallyAsync(async () => (await anonymous.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "ready after the restart", async () => await (await anonymous.GetAsync("/health/ready")).Content.ReadAsStringAsync());
        await _api.SettledAsync(); // the daemon and the handlers carried on: every projection reaches the head
    }
}
