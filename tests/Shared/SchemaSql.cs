using Npgsql;

namespace Oversight.Testing;

/// <summary>Test SQL against one schema: <c>{schema}</c> in the text stands for the quoted schema name.</summary>
public static class SchemaSql
{
    /// <summary>The first column of every row, as text.</summary>
    public static async Task<List<string>> QueryAsync(this NpgsqlDataSource dataSource, string schema, string sql)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(sql.Replace("{schema}", $"\"{schema}\"", StringComparison.Ordinal));
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
