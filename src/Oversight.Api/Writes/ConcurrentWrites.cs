using JasperFx.Events;
using Marten.Exceptions;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Oversight.Api.Writes;

/// <summary>
/// Another writer committed to a stream between our read and our append. Without If-Match the command is decided again on
/// fresh state, after a jittered exponential back-off: retried at once, writers that lost a round on one stream meet again in
/// the next and the last of a crowd runs out of attempts (16 writers on one inspection did, with five attempts and no pause).
/// Each failed attempt means another writer committed after this one last read, so among n writers of one write each on a
/// stream every one succeeds within n attempts; the pauses spread a crowd so that far fewer are needed.
/// </summary>
internal static class ConcurrentWrites
{
    /// <summary>Up to sixteen attempts; pauses of about 2, 4, 8 … ms, jittered, at most 100 ms (about 1 s in all).</summary>
    public static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsConcurrentWrite),
            MaxRetryAttempts = 15,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(2),
            MaxDelay = TimeSpan.FromMilliseconds(100),
        })
        .Build();

    /// <summary>Marten refused an append because the stream moved (or already exists): another writer committed first.</summary>
    public static bool IsConcurrentWrite(Exception e) => e switch
    {
        EventStreamUnexpectedMaxEventIdException or Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException
            or JasperFx.ConcurrencyException => true,
        MartenCommandException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } } => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        _ => false,
    };
}
