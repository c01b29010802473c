using JasperFx.Events.Daemon;
using Npgsql;
using Oversight.ReadModels.Storage;

namespace Oversight.ReadModels.Tests.Storage;

/// <summary>Which paused shards are restarted when the database answers again: those a database fault paused, never a poison event's.</summary>
public sealed class ProjectionRecoveryTests
{
    private static ShardFailure Failure(Exception e) => ShardFailure.For(e, DateTimeOffset.UnixEpoch);

    public static TheoryData<string, Exception> DatabaseFaults => new()
    {
        { "server shutdown (restart, failover)", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01") },
        { "wrapped server shutdown", new InvalidOperationException("batch failed", new PostgresException("terminating connection", "FATAL", "FATAL", "57P01")) },
        { "too many connections", new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300") },
        { "connection lost", new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer")) },
        { "timeout", new TimeoutException("Timeout during reading attempt") },
        { "statements cancelled while the database did not answer", new TaskCanceledException() },
    };

    public static TheoryData<string, Exception> EventFaults => new()
    {
        { "a projection that throws on an event", new InvalidOperationException("cannot apply FindingRecorded") },
        { "a statement the database refuses", new PostgresException("relation \"readmodels.missing\" does not exist", "ERROR", "ERROR", "42P01") },
        { "a constraint the event breaks", new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505") },
    };

    [Theory]
    [MemberData(nameof(DatabaseFaults))]
    public void A_shard_paused_by_a_database_fault_is_restarted(string what, Exception exception) =>
        Assert.True(ProjectionRecovery.IsDatabaseFault(Failure(exception)), what);

    [Theory]
    [MemberData(nameof(EventFaults))]
    public void A_shard_paused_on_an_event_stays_paused(string what, Exception exception) =>
        Assert.False(ProjectionRecovery.IsDatabaseFault(Failure(exception)), what);
}
