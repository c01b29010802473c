using Npgsql;
using NpgsqlTypes;
using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.PublicSanctions;

/// <summary>Reads the public register, newest first, from the tables of the version this node serves (<see cref="Storage.ReadModelCatalog"/>).</summary>
public static class PublicSanctionQueries
{
    public static async Task<IReadOnlyList<PublicSanction>> ListAsync(NpgsqlDataSource dataSource, ProjectionTables tables, int? fromFiscalYear,
        int? toFiscalYear, SanctionType? type, int limit, long? afterPosition, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT s.position, s.type, s.effective_on, s.until_on, s.fiscal_year, s.organization_id, o.type, o.name, o.prefecture,
                   o.corporate_number, o.permit_number, s.plan_numbers, s.legal_basis, s.published_reason
              FROM {tables.Table(PublicSanctionsProjection.Sanctions)} s
              JOIN {tables.Table(PublicSanctionsProjection.Organizations)} o ON o.id = s.organization_id
             WHERE ($1::int IS NULL OR s.fiscal_year >= $1) AND ($2::int IS NULL OR s.fiscal_year <= $2)
               AND ($3::text IS NULL OR s.type = $3) AND ($4::bigint IS NULL OR s.position < $4)
             ORDER BY s.position DESC
             LIMIT $5
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)fromFiscalYear ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)toFiscalYear ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)type?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)afterPosition ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var rows = new List<PublicSanction>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PublicSanction(
                reader.GetInt64(0), Enum.Parse<SanctionType>(reader.GetString(1)), reader.GetFieldValue<DateOnly>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateOnly>(3), reader.GetInt32(4), reader.GetGuid(5), reader.GetString(6),
                reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10), reader.GetFieldValue<string[]>(11),
                reader.IsDBNull(12) ? null : reader.GetString(12), reader.GetString(13)));
        }
        return rows;
    }
}
