using System.Data.Common;
using Weasel.Core;
using Weasel.Storage;

namespace Oversight.Api.Writes;

/// <summary>
/// <c>COMMIT</c> as the last statement of Marten's batch, so a write's events, chain links and idempotency record commit in
/// the round trip that sends them (ADR 12). A statement that fails aborts the transaction and PostgreSQL skips the rest of
/// the batch (and a <c>COMMIT</c> of an aborted transaction rolls it back), so nothing of a failed write is stored. Npgsql
/// reads a transaction's end from the server's status, so our <c>NpgsqlTransaction</c> counts as completed afterwards and
/// disposing it sends nothing. Queue it after every other operation: Marten runs the appends first, then the other
/// operations in the order they were queued. That holds while the write session queues no documents (Marten would sort
/// them by foreign key, and this operation first) and this store adds nothing during SaveChanges behind it: no inline
/// projections, event tags, append notifications, session listeners or transaction participants (a review of Marten's
/// unit of work, 2026-11-30; <c>RoundTripTests</c> checks the batch ends with it). A failure on the client's side after
/// the server ran the batch (a lost connection while reading its answer) now leaves the write committed; the answer is a
/// 503 as for a commit lost before, and a keyed retry replays it.
/// </summary>
internal sealed class CommitInBatch : Weasel.Storage.IStorageOperation
{
    public static readonly CommitInBatch Instance = new();

    private CommitInBatch() { }

    // Marten orders queued operations by document type; StorageFeatures is what its own SQL commands report.
    public Type DocumentType => typeof(Marten.Storage.StorageFeatures);

    public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("COMMIT");
    }

    public Task PostprocessAsync(DbDataReader reader, IList<Exception> exceptions, CancellationToken token) => Task.CompletedTask;

    public OperationRole Role() => OperationRole.Other;
}
