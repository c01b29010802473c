using Marten;
using Npgsql;
using Oversight.Domain.Moc;
using Oversight.Persistence.Reading;

namespace Oversight.ReadModels.ReferenceData;

/// <summary>Every country's memoranda, folded from the <c>moc-{country}</c> streams (a few dozen events at most).</summary>
public static class MocAgreements
{
    public static async Task<IReadOnlyList<MocAgreement>> AllAsync(IQuerySession session, NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var streams = new List<string>();
        await using (var command = dataSource.CreateCommand($"SELECT id FROM \"{schema}\".mt_streams WHERE id LIKE 'moc-%' ORDER BY id"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) streams.Add(reader.GetString(0));
        var agreements = new List<MocAgreement>();
        foreach (var stream in streams)
        {
            var (state, _) = await EventReader.FoldAsync<MocAgreement?>(session, stream, null, MocAgreement.Evolve, cancellationToken: cancellationToken);
            if (state is not null) agreements.Add(state);
        }
        return agreements;
    }
}
