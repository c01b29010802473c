using System.Diagnostics;

namespace Oversight.Benchmarks;

/// <summary>Latencies of operations run one at a time, sorted ascending, and their percentiles.</summary>
internal static class Latencies
{
    /// <summary><paramref name="count"/> calls of <paramref name="operation"/> after <paramref name="warmUp"/> untimed ones (JIT tiers, plans, connections).</summary>
    public static async Task<double[]> MeasureAsync(int count, Func<Task> operation, int warmUp = 20)
    {
        for (var i = 0; i < Math.Min(warmUp, count); i++) await operation();
        var latencies = new double[count];
        for (var i = 0; i < count; i++) latencies[i] = await TimeAsync(operation);
        Array.Sort(latencies);
        return latencies;
    }

    /// <summary>
    /// <paramref name="ours"/> and <paramref name="baseline"/> in turn, call for call, so both meet the same moments of a shared
    /// machine: measured one after the other, a slow spell of the VM (its speed drifts by 10-20 % within minutes) fell on one
    /// side only and moved the ratio by as much.
    /// </summary>
    public static async Task<(double[] Ours, double[] Baseline)> AlternateAsync(int count, Func<Task> ours, Func<Task> baseline, int warmUp = 20)
    {
        for (var i = 0; i < Math.Min(warmUp, count); i++)
        {
            await ours();
            await baseline();
        }
        var a = new double[count];
        var b = new double[count];
        for (var i = 0; i < count; i++)
        {
            a[i] = await TimeAsync(ours);
            b[i] = await TimeAsync(baseline);
        }
        Array.Sort(a);
        Array.Sort(b);
        return (a, b);
    }

    /// <summary>The <paramref name="p"/> percentile (0-1) of sorted latencies; 0 for none.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static async Task<double> TimeAsync(Func<Task> operation)
    {
        var started = Stopwatch.GetTimestamp();
        await operation();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
