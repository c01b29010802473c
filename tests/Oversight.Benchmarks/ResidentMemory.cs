using System.Globalization;

namespace Oversight.Benchmarks;

/// <summary>A process's resident memory (VmRSS from /proc), read once or sampled at its peak while work runs.</summary>
internal static class ResidentMemory
{
    public static double Megabytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Runs <paramref name="work"/> and returns its result with the highest resident memory seen every 250 ms meanwhile.</summary>
    public static async Task<(T Result, double PeakMegabytes)> PeakWhileAsync<T>(int processId, Func<Task<T>> work)
    {
        var peak = Megabytes(processId);
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, Megabytes(processId));
                try { await Task.Delay(250, done.Token); } catch (OperationCanceledException) { }
            }
        });
        var result = await work();
        await done.CancelAsync();
        await sampler;
        return (result, Math.Max(peak, Megabytes(processId)));
    }
}
