using Npgsql;
using Oversight.ReadModels.Storage;

namespace Oversight.Api.Http;

/// <summary>
/// <c>?minPosition=N</c>: wait (at most 5 s) until a read model has applied the write at position N, as recorded by Marten's
/// daemon in <c>mt_event_progression</c> (committed with the read model's rows).
/// </summary>
internal sealed class ReadYourWrites(NpgsqlDataSource dataSource, StorageOptions options, ReadModelCatalog catalog)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task WaitAsync(string projection, long? minPosition, CancellationToken ct)
    {
        if (minPosition is not { } position) return;
        if (position < 1) throw RequestValidationException.For("minPosition", "A positive event position (X-Event-Position of a write).");
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(5);
        while (await ProgressAsync(projection, ct) < position)
        {
            if (deadline.Elapsed >= Timeout)
                throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "projection-behind", "Read model not caught up",
                    $"The {projection} read model has not reached position {position} within {Timeout.TotalSeconds:0} s; retry shortly.");
            await Task.Delay(delay, ct);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }
    }

    private async Task<long> ProgressAsync(string projection, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT coalesce(max(last_seq_id), 0) FROM \"{options.EventSchema}\".mt_event_progression WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = catalog.ProgressionName(projection) });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
