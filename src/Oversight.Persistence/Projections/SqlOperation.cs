using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Weasel.Core;
using Weasel.Storage;

namespace Oversight.Persistence.Projections;

/// <summary>
/// One parameterized SQL statement queued on a Marten session: it runs in the session's batch and commits with
/// it — for a projection, in the same transaction as the daemon's progress, so a batch's effect is applied
/// exactly once. <c>?</c> marks each parameter; values are typed so PostgreSQL never guesses (null text arrays,
/// dates, jsonb). Marten's own <c>QueueSqlCommand</c> takes untyped values only.
/// </summary>
public sealed class SqlOperation(string sql, params (object? Value, NpgsqlDbType Type)[] parameters) : Weasel.Storage.IStorageOperation
{
    // Marten orders queued operations by document type; StorageFeatures is what its own SQL commands report.
    public Type DocumentType => typeof(Marten.Storage.StorageFeatures);

    public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var placeholders = builder.AppendWithDbParameters(sql);
        if (placeholders.Length != parameters.Length)
            throw new InvalidOperationException($"The statement has {placeholders.Length} placeholders but {parameters.Length} values: {sql}");
        for (var i = 0; i < placeholders.Length; i++)
        {
            var parameter = (NpgsqlParameter)placeholders[i];
            parameter.NpgsqlDbType = parameters[i].Type;
            parameter.Value = parameters[i].Value ?? DBNull.Value;
        }
    }

    public Task PostprocessAsync(DbDataReader reader, IList<Exception> exceptions, CancellationToken token) => Task.CompletedTask;

    public OperationRole Role() => OperationRole.Other;
}
