using System.Diagnostics;

namespace Oversight.Benchmarks;

internal static class Concurrency
{
    /// <summary>Runs <paramref name="workers"/> loops for <paramref name="duration"/>; returns operations per second.</summary>
    public static async Task<double> RateAsync(int workers, TimeSpan duration, Func<int, Func<Task>> createWorker)
    {
        var count = 0L;
        var stopwatch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var operation = createWorker(w);
            while (stopwatch.Elapsed < duration)
            {
                await operation();
                Interlocked.Increment(ref count);
            }
        }));
        await Task.WhenAll(tasks);
        return count / stopwatch.Elapsed.TotalSeconds;
    }

    public static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
