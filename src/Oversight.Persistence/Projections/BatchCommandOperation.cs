using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Weasel.Core;
using Weasel.Storage;

namespace Oversight.Persistence.Projections;

/// <summary>
/// An <see cref="NpgsqlBatchCommand"/> (positional <c>$n</c> parameters) queued on a Marten session: it becomes one
/// statement of the session's batch, in the session's transaction. Parameters keep their values and explicit types.
/// </summary>
public sealed partial class BatchCommandOperation(NpgsqlBatchCommand command) : Weasel.Storage.IStorageOperation
{
    // Marten orders queued operations by document type; StorageFeatures is what its own SQL commands report.
    public Type DocumentType => typeof(Marten.Storage.StorageFeatures);

    public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var sql = command.CommandText;
        var last = 0;
        foreach (Match match in Placeholder().Matches(sql))
        {
            builder.Append(sql[last..match.Index]);
            var source = command.Parameters[int.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) - 1];
            var target = (NpgsqlParameter)builder.AppendParameter(source.Value ?? DBNull.Value);
            if (source.NpgsqlDbType != NpgsqlDbType.Unknown) target.NpgsqlDbType = source.NpgsqlDbType;
            last = match.Index + match.Length;
        }
        builder.Append(sql[last..]); // Marten starts a new command before each operation
    }

    public Task PostprocessAsync(DbDataReader reader, IList<Exception> exceptions, CancellationToken token) => Task.CompletedTask;

    public OperationRole Role() => OperationRole.Other;

    // Our statements use $n only as parameters (no dollar-quoted strings).
    [GeneratedRegex(@"\$(\d+)")]
    private static partial Regex Placeholder();
}
