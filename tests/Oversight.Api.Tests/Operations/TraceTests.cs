using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Operations;

/// <summary>
/// One trace per write, end to end: the HTTP server span, the command, the append (with Npgsql's spans), the
/// outbox message handled by a subscriber (parented through the stored trace context), the subscriber's own
/// append, and the projections applying the events — asserted as a span tree with an in-process listener.
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
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Npgsql" || source.Name.StartsWith("Oversight.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _spans.Add(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_recorded_finding_is_one_trace_from_the_HTTP_request_through_the_outbox_handler_to_the_projections()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        using var inspector = api.As(Roles.Inspector);
        var response = await inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding("ViolenceOrThreats"));
        await response.Expect(HttpStatusCode.Created);

        // The server span of this request is the root of the trace.
        var server = await EventuallyAsync(() => _spans.FirstOrDefault(s => s.Kind == ActivityKind.Server
            && s.DisplayName == "POST /api/v1/inspections/{id:guid}/findings" && (string?)s.GetTagItem("http.route") == "/api/v1/inspections/{id:guid}/findings"));
        var trace = server.TraceId;

        // The subscriber that refers trafficking findings ran in the handler runtime, and appended in turn; projections applied it.
        var handler = await EventuallyAsync(() => InTrace(trace).FirstOrDefault(s => s.DisplayName == "handle referral.on-finding-recorded"));
        var referralAppend = await EventuallyAsync(() => InTrace(trace).FirstOrDefault(s => s.DisplayName == "eventstore.append" && IsBelow(s, handler)));
        // A projection batch span is the child of its first event's append and links the others' (batches may mix traces).
        var projection = await EventuallyAsync(() => _spans.FirstOrDefault(s => s.DisplayName.StartsWith("project ", StringComparison.Ordinal)
            && (IsBelow(s, referralAppend) || s.Links.Any(l => l.Context.SpanId == referralAppend.SpanId && l.Context.TraceId == trace))));

        var command = InTrace(trace).Single(s => s.DisplayName.StartsWith("command /api/v1/inspections/", StringComparison.Ordinal));
        var append = InTrace(trace).First(s => s.DisplayName == "eventstore.append" && s.ParentSpanId == command.SpanId);
        Assert.Equal(server.SpanId, command.ParentSpanId);
        Assert.Contains(InTrace(trace), s => s.Source.Name == "Npgsql" && IsBelow(s, command));
        Assert.Equal(ActivityKind.Consumer, handler.Kind);
        Assert.True(IsBelow(handler, append), "the handler span descends from the append that enqueued its message");
        Assert.True(IsBelow(projection, server) || projection.Links.Any(l => l.Context.TraceId == trace));
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
