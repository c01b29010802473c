using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Operations;

/// <summary>
/// One trace per write, end to end: the HTTP server span, the command (with Npgsql's spans of its append), the follow-up
/// that Marten's daemon hands to Wolverine (parented through the trace context stored with the event) and the Wolverine
/// handler with its own statements — asserted as a span tree with an in-process listener. Projection batches run in
/// Marten's daemon under traces of their own (ADR 8).
/// </summary>
public sealed class TraceTests : IClassFixture<ApiFactory>, IDisposable
{
    private readonly ApiFactory api;
    private readonly ConcurrentBag<Activity> _spans = [];
    private readonly ActivityListener _listener;

    public TraceTests(ApiFactory api)
    {
        this.api = api;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Npgsql" or "Wolverine" or "Marten" || source.Name.StartsWith("Oversight.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _spans.Add(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_recorded_finding_is_one_trace_from_the_HTTP_request_through_the_command_to_the_follow_up_handler()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        using var inspector = api.As(Roles.Inspector);
        // The listener hears every test running in this process: the request carries a trace of its own to be told apart.
        var trace = ActivityTraceId.CreateRandom();
        var caller = ActivitySpanId.CreateRandom();
        await (await inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding("ViolenceOrThreats"),
            traceparent: $"00-{trace}-{caller}-01")).Expect(HttpStatusCode.Created);

        // The server span of this request is the root of the trace on the server (its parent is the caller's span).
        var server = await EventuallyAsync(() => InTrace(trace).FirstOrDefault(s => s.Kind == ActivityKind.Server
            && s.DisplayName == "POST /api/v1/inspections/{id:guid}/findings" && (string?)s.GetTagItem("http.route") == "/api/v1/inspections/{id:guid}/findings"));
        Assert.Equal(caller, server.ParentSpanId);

        // Marten's daemon hands the appended finding to Wolverine inside the trace stored with the event (ADR 8); the referral
        // handler runs there and appends in turn.
        var relay = await EventuallyAsync(() => InTrace(trace).FirstOrDefault(s => s.DisplayName == "follow-up FindingRecorded"));
        var handler = await EventuallyAsync(() => InTrace(trace).FirstOrDefault(s => s.Source.Name == "Wolverine" && s.DisplayName == "TraffickingIndicatorRecorded"));
        await EventuallyAsync(() => InTrace(trace).FirstOrDefault(s => s.Source.Name == "Npgsql" && IsBelow(s, handler)));

        var command = InTrace(trace).Single(s => s.DisplayName.StartsWith("command /api/v1/inspections/", StringComparison.Ordinal));
        Assert.Equal(server.SpanId, command.ParentSpanId);
        Assert.Contains(InTrace(trace), s => s.Source.Name == "Npgsql" && IsBelow(s, command));
        Assert.Equal(ActivityKind.Producer, relay.Kind);
        Assert.True(IsBelow(relay, command), "the follow-up descends from the command that appended the finding");
        Assert.True(IsBelow(handler, relay), "the handler descends from the follow-up");
    }

    private IEnumerable<Activity> InTrace(ActivityTraceId trace) => _spans.Where(s => s.TraceId == trace);

    /// <summary>Whether <paramref name="span"/> has <paramref name="ancestor"/> on its parent chain (within the captured spans).</summary>
    private bool IsBelow(Activity span, Activity ancestor)
    {
        var bySpan = InTrace(span.TraceId).GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        for (var current = span; current.ParentSpanId != default;)
        {
            if (current.ParentSpanId == ancestor.SpanId) return true;
            if (!bySpan.TryGetValue(current.ParentSpanId, out var parent)) return false;
            current = parent;
        }
        return false;
    }

    private async Task<T> EventuallyAsync<T>(Func<T?> probe) where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (probe() is { } found) return found;
            await Task.Delay(50);
        }
        var seen = string.Join("\n", _spans.OrderBy(s => s.StartTimeUtc).Select(s => $"{s.TraceId} {s.SpanId} <- {s.ParentSpanId} {s.Kind} {s.Source.Name}: {s.DisplayName}"));
        throw new Xunit.Sdk.XunitException($"Span not seen within 60 s. Captured:\n{seen}");
    }
}
