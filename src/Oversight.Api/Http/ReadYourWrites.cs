using Oversight.Runtime.Projections;

namespace Oversight.Api.Http;

/// <summary><c>?minPosition=N</c>: wait (at most 5 s) until a read model has applied the write at position N.</summary>
internal static class ReadYourWrites
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task WaitAsync(ProjectionDaemon daemon, string projection, long? minPosition, CancellationToken ct)
    {
        if (minPosition is not { } position) return;
        if (position < 1) throw RequestValidationException.For("minPosition", "A positive event position (X-Event-Position of a write).");
        if (!await daemon.WaitForSequenceAsync(projection, position, Timeout, ct))
            throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "projection-behind", "Read model not caught up",
                $"The {projection} read model has not reached position {position} within {Timeout.TotalSeconds:0} s; retry shortly.");
    }
}
