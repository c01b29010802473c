using System.Data.Common;
using Marten.Linq.QueryHandlers;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;
using Weasel.Postgresql;
using Weasel.Storage;

namespace Oversight.Api.Writes;

/// <summary>
/// The chain heads of a stream's events from <paramref name="fromVersion"/> on (at most two), as a statement of a Marten batch query:
/// enough to tell whether a state this node remembers (<see cref="StreamStates"/>) still ends the stream, without Marten reading and
/// deserializing the head's event and headers again. One row carrying the remembered version and hash: the state is current. Anything
/// else (a newer event, another hash, no row) sends the load to Marten's full read.
/// </summary>
internal sealed class StreamHeadProbe(string schema, string streamId, long fromVersion) : IQueryHandler<IReadOnlyList<ChainHead>>
{
    public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
    {
        builder.Append($"SELECT version, headers ->> '{EventHeaders.Chain}' FROM \"{schema}\".mt_events WHERE stream_id = ");
        builder.AppendParameter(streamId);
        builder.Append(" AND version >= ");
        builder.AppendParameter(fromVersion);
        builder.Append(" ORDER BY version LIMIT 2");
    }

    public async Task<IReadOnlyList<ChainHead>> HandleAsync(DbDataReader reader, IStorageSession session, CancellationToken token)
    {
        var heads = new List<ChainHead>(1);
        while (await reader.ReadAsync(token))
            heads.Add(new ChainHead(reader.GetInt64(0), reader.IsDBNull(1) ? [] : Convert.FromHexString(reader.GetString(1))));
        return heads;
    }

    public Task<int> StreamJson(Stream stream, DbDataReader reader, CancellationToken token) => throw new NotSupportedException();

    /// <summary>Whether <paramref name="heads"/> shows <paramref name="remembered"/> as the stream's last event.</summary>
    public static bool Confirms(IReadOnlyList<ChainHead> heads, ChainHead remembered) =>
        heads is [var head] && head.Version == remembered.Version && head.Hash.Length > 0 && head.Hash.AsSpan().SequenceEqual(remembered.Hash);
}
