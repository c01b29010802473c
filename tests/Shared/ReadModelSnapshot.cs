using Npgsql;

namespace Oversight.Testing;

/// <summary>The rows of read-model tables as text, sorted, by table: what equivalence tests compare (live, seeded, rebuilt).</summary>
public static class ReadModelSnapshot
{
    public static async Task<SortedDictionary<string, List<string>>> TakeAsync(NpgsqlDataSource dataSource, string schema, Func<string, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var tables = await dataSource.QueryAsync(schema, $"SELECT table_name::text FROM information_schema.tables WHERE table_schema = '{schema}' ORDER BY 1");
        var snapshot = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in tables.Where(t => include?.Invoke(t) ?? true))
            snapshot[table] = await dataSource.QueryAsync(schema, $"SELECT t::text FROM {{schema}}.\"{table}\" t ORDER BY 1");
        return snapshot;
    }
}
