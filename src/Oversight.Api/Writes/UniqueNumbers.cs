using Npgsql;

namespace Oversight.Api.Writes;

/// <summary>Numbers unique across streams (<c>api_unique_numbers</c>), claimed in the command's transaction.</summary>
internal static class UniqueNumbers
{
    /// <summary>Claims unique numbers; returns the first one already taken by another stream, or null.</summary>
    public static async Task<(string Kind, string Value)?> ClaimAsync(NpgsqlConnection connection, string schema,
        IReadOnlyList<(string Kind, string Value, string StreamId)> claims, CancellationToken cancellationToken)
    {
        foreach (var (kind, value, streamId) in claims)
        {
            await using var command = new NpgsqlCommand(
                $"""
                INSERT INTO "{schema}".api_unique_numbers (kind, value, stream_id) VALUES ($1, $2, $3)
                ON CONFLICT (kind, value) DO UPDATE SET stream_id = excluded.stream_id WHERE api_unique_numbers.stream_id = excluded.stream_id
                """, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0) return (kind, value);
        }
        return null;
    }
}
