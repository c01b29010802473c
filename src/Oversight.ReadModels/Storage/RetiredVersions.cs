using Npgsql;
using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.Storage;

/// <summary>An earlier version of a read model still in the database: its tables and its daemon progression row.</summary>
public sealed record RetiredVersion(string Projection, uint Version, IReadOnlyList<string> Tables, string? Progression);

/// <summary>
/// The last step of a blue/green deployment of a read model: once no node runs the old version any more, its tables and its
/// progression row are dropped (<c>oversight projections retire</c>). Only versions below the one this build runs are touched.
/// </summary>
public static class RetiredVersions
{
    public static async Task<IReadOnlyList<RetiredVersion>> FindAsync(ReadModelCatalog catalog, NpgsqlDataSource dataSource, string eventSchema,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(dataSource);
        var candidates = catalog.Projections
            .SelectMany(p => Enumerable.Range(1, (int)p.Version - 1).Select(v => (Projection: p, Version: (uint)v)))
            .ToList();
        if (candidates.Count == 0) return [];
        var tables = await ExistingAsync(dataSource,
            "SELECT table_name::text FROM information_schema.tables WHERE table_name = ANY($1) AND table_schema = $2",
            [.. candidates.SelectMany(c => Owned(c.Projection, c.Version))], cancellationToken, catalog.Schema);
        var progressions = await ExistingAsync(dataSource,
            $"SELECT name FROM \"{eventSchema}\".mt_event_progression WHERE name = ANY($1)",
            [.. candidates.Select(c => Progression(c.Projection, c.Version))], cancellationToken);
        return
        [
            .. candidates
                .Select(c => new RetiredVersion(c.Projection.Name, c.Version,
                    [.. Owned(c.Projection, c.Version).Where(tables.Contains)],
                    progressions.Contains(Progression(c.Projection, c.Version)) ? Progression(c.Projection, c.Version) : null))
                .Where(r => r.Tables.Count > 0 || r.Progression is not null),
        ];
    }

    /// <summary>Drops the tables and deletes the progression rows of <paramref name="retired"/>, in one transaction.</summary>
    public static async Task DropAsync(IReadOnlyList<RetiredVersion> retired, string readModelSchema, NpgsqlDataSource dataSource, string eventSchema,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retired);
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var batch = new NpgsqlBatch(connection, transaction);
        await using (batch)
        {
            var names = ProjectionTables.InSchema(readModelSchema);
            foreach (var table in retired.SelectMany(r => r.Tables)) batch.BatchCommands.Add(new NpgsqlBatchCommand($"DROP TABLE IF EXISTS {names.Table(table)}"));
            var delete = new NpgsqlBatchCommand($"DELETE FROM \"{eventSchema}\".mt_event_progression WHERE name = ANY($1)");
            delete.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. retired.Select(r => r.Progression).OfType<string>()] });
            batch.BatchCommands.Add(delete);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>What <paramref name="version"/> may have left: today's tables and those the projection has dropped since.</summary>
    private static IEnumerable<string> Owned(ISqlProjection projection, uint version) =>
        projection.Tables.Concat(projection.FormerTables).Distinct().Select(t => ProjectionTables.VersionedName(t, version));

    private static string Progression(ISqlProjection projection, uint version) => MartenSqlProjection.ProgressionName(projection.Name, version);

    /// <summary>Which of <paramref name="names"/> (<c>$1</c>) <paramref name="sql"/> finds, with <paramref name="schema"/> as <c>$2</c> if given.</summary>
    private static async Task<HashSet<string>> ExistingAsync(NpgsqlDataSource dataSource, string sql, string[] names, CancellationToken cancellationToken,
        string? schema = null)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = names });
        if (schema is not null) command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) found.Add(reader.GetString(0));
        return found;
    }
}
