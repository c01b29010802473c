using System.Collections.Concurrent;
using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Weasel.Core;
using Weasel.Storage;

namespace Oversight.Persistence.Projections;

/// <summary>
/// An <see cref="NpgsqlBatchCommand"/> (positional <c>$n</c> parameters) queued on a Marten session: it becomes one
/// statement of the session's batch, in the session's transaction. Parameters keep their values and explicit types.
/// </summary>
public sealed class BatchCommandOperation(NpgsqlBatchCommand command) : Weasel.Storage.IStorageOperation
{
    // Marten orders queued operations by document type; StorageFeatures is what its own SQL commands report.
    public Type DocumentType => typeof(Marten.Storage.StorageFeatures);

    public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var template = Templates.GetOrAdd(command.CommandText);
        for (var i = 0; i < template.Parameters.Length; i++)
        {
            builder.Append(template.Texts[i]);
            var source = command.Parameters[template.Parameters[i]];
            var target = (NpgsqlParameter)builder.AppendParameter(source.Value ?? DBNull.Value);
            if (source.NpgsqlDbType != NpgsqlDbType.Unknown) target.NpgsqlDbType = source.NpgsqlDbType;
        }
        builder.Append(template.Texts[^1]); // Marten starts a new command before each operation
    }

    public Task PostprocessAsync(DbDataReader reader, IList<Exception> exceptions, CancellationToken token) => Task.CompletedTask;

    public OperationRole Role() => OperationRole.Other;

    /// <summary>
    /// A statement split at its <c>$n</c> placeholders once per distinct text (the texts repeat on every write and daemon batch):
    /// Texts[i] precedes the parameter at index Parameters[i], Texts[^1] ends the statement. Our statements use <c>$n</c>
    /// only as parameters (no dollar-quoted strings).
    /// </summary>
    internal sealed record Template(string[] Texts, int[] Parameters)
    {
        public static Template Parse(string sql)
        {
            List<string> texts = [];
            List<int> parameters = [];
            var last = 0;
            for (var at = sql.IndexOf('$'); at >= 0; at = sql.IndexOf('$', at + 1))
            {
                var end = at + 1;
                while (end < sql.Length && char.IsAsciiDigit(sql[end])) end++;
                if (end == at + 1) continue;
                texts.Add(sql[last..at]);
                parameters.Add(int.Parse(sql.AsSpan(at + 1, end - at - 1), System.Globalization.CultureInfo.InvariantCulture) - 1);
                last = end;
            }
            texts.Add(sql[last..]);
            return new Template([.. texts], [.. parameters]);
        }
    }

    /// <summary>Parsed statements by text; bounded, as a statement built with a varying number of rows would otherwise grow it without end.</summary>
    private static class Templates
    {
        private const int Capacity = 512;
        private static readonly ConcurrentDictionary<string, Template> s_parsed = new(StringComparer.Ordinal);

        public static Template GetOrAdd(string sql)
        {
            if (s_parsed.TryGetValue(sql, out var template)) return template;
            template = Template.Parse(sql);
            if (s_parsed.Count < Capacity) s_parsed.TryAdd(sql, template);
            return template;
        }
    }
}
