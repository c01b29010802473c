using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Oversight.Benchmarks;

/// <summary>
/// HTTP load from Debian's <c>wrk</c> (a C client on epoll) with <c>wrk/record-finding.lua</c>, so the client takes little of
/// the CPU the API needs — an in-process .NET client on the same 2 cores measured a third of what the API serves.
/// </summary>
internal static partial class WrkLoad
{
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests);

    public static bool Available { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Any(directory => directory.Length > 0 && File.Exists(Path.Combine(directory, "wrk")));

    /// <summary>POSTs findings to <paramref name="inspections"/> for <paramref name="duration"/> over <paramref name="connections"/> connections.</summary>
    public static async Task<Result> RecordFindingsAsync(Uri api, IReadOnlyList<Guid> inspections, string token, TimeSpan duration, int connections = 32)
    {
        var ids = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(ids, inspections.Select(i => i.ToString()));
            var script = Path.Combine(AppContext.BaseDirectory, "wrk", "record-finding.lua");
            var start = new ProcessStartInfo("wrk",
            [
                "-t2", $"-c{connections}", $"-d{(int)Math.Ceiling(duration.TotalSeconds)}s", "--latency", "--timeout", "10s", "-s", script,
                api.ToString().TrimEnd('/'), "--", ids, token, Guid.NewGuid().ToString("N")[..12],
            ])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start wrk.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var text = await output;
            var match = Summary().Match(text);
            if (process.ExitCode != 0 || !match.Success) throw new InvalidOperationException($"wrk exited {process.ExitCode}: {text}{await error}");
            long Value(string name) => long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
            if (Value("non2xx") > 0 || Value("socket") > 0)
                throw new InvalidOperationException($"wrk saw {Value("non2xx")} non-2xx answers and {Value("socket")} socket errors: {text}");
            return new Result(Value("requests") / (Value("duration") / 1e6), Value("p50") / 1e3, Value("p99") / 1e3, Value("requests"));
        }
        finally
        {
            File.Delete(ids);
        }
    }

    [GeneratedRegex(@"wrk-summary requests=(?<requests>\d+) duration_us=(?<duration>\d+) p50_us=(?<p50>\d+) p99_us=(?<p99>\d+) non2xx=(?<non2xx>\d+) socket_errors=(?<socket>\d+)")]
    private static partial Regex Summary();
}
