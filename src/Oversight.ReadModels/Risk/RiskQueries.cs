using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.Risk;

/// <summary>One event behind a flag: where it is in the global order, what it was, and its business date.</summary>
public sealed record RiskEvidence(long Position, Guid EventId, string Type, DateOnly? OccurredOn);

public sealed record RiskFlagView(string Flag, string Level, string Detail, double Score, IReadOnlyList<RiskEvidence> Events);

/// <summary>An organization's risk: its public particulars (no personal data), score and flags.</summary>
public sealed record RiskProfile(Guid OrganizationId, string OrganizationType, string Name, string? Prefecture, bool Active, double Score,
    IReadOnlyList<RiskFlagView> Flags);

/// <summary>Reads flags and scores them with the configured weights (weights apply at query time: no rebuild when they change).</summary>
public static class RiskQueries
{
    public static async Task<RiskProfile?> ForOrganizationAsync(NpgsqlDataSource dataSource, ProjectionTables tables, RiskOptions options, Guid id,
        CancellationToken cancellationToken)
    {
        var page = await QueryAsync(dataSource, tables, options, [id], null, null, null, null, 1, 0, cancellationToken);
        return page.FirstOrDefault();
    }

    /// <summary>Organizations with at least one flag, highest score first, filtered and paged.</summary>
    public static Task<IReadOnlyList<RiskProfile>> ListAsync(NpgsqlDataSource dataSource, ProjectionTables tables, RiskOptions options, double? minScore,
        string? prefecture, string? flag, string? organizationType, int limit, int offset, CancellationToken cancellationToken) =>
        QueryAsync(dataSource, tables, options, null, minScore, prefecture, flag, organizationType, limit, offset, cancellationToken);

    private static async Task<IReadOnlyList<RiskProfile>> QueryAsync(NpgsqlDataSource dataSource, ProjectionTables tables, RiskOptions options, Guid[]? ids,
        double? minScore, string? prefecture, string? flag, string? organizationType, int limit, int offset, CancellationToken cancellationToken)
    {
        var flags = tables.Table(RiskTables.Flags);
        var organizations = tables.Table(RiskTables.Organizations);
        var findings = tables.Table(RiskTables.Findings);
        // Scores and the page first; then each paged organization's flags with their events (a flag raised by findings lists
        // those its filter names: see RiskTables.Flags).
        const string Scored = "LEFT JOIN weights w ON w.flag = f.flag LEFT JOIN factors l ON l.level = f.level";
        const string Score = "coalesce(w.weight, 10) * coalesce(l.factor, 1)";
        await using var command = dataSource.CreateCommand($"""
            WITH weights AS (SELECT * FROM unnest($1::text[], $2::float8[]) AS w(flag, weight)),
                 factors AS (SELECT * FROM unnest($3::text[], $4::float8[]) AS l(level, factor)),
                 totals AS (
                    SELECT f.organization_id, sum({Score}) AS score
                      FROM {flags} f {Scored}
                     WHERE ($5::uuid[] IS NULL OR f.organization_id = ANY($5))
                     GROUP BY f.organization_id
                    HAVING ($8::text IS NULL OR bool_or(f.flag = $8))),
                 page AS (
                    SELECT o.id, o.type, o.name, o.prefecture, o.active, t.score
                      FROM totals t JOIN {organizations} o ON o.id = t.organization_id
                     WHERE ($6::float8 IS NULL OR t.score >= $6) AND ($7::text IS NULL OR o.prefecture = $7) AND ($9::text IS NULL OR o.type = $9)
                     ORDER BY t.score DESC, o.id
                     LIMIT $10 OFFSET $11)
            SELECT p.id, p.type, p.name, p.prefecture, p.active, p.score,
                   (SELECT jsonb_agg(jsonb_build_object('flag', f.flag, 'level', f.level, 'detail', f.detail, 'score', {Score}, 'events',
                               coalesce(f.evidence, (SELECT jsonb_agg(x.evidence ORDER BY x.position) FROM {findings} x
                                                      WHERE x.organization_id = f.organization_id AND NOT x.retracted
                                                        AND (f.finding_categories IS NULL OR x.category = ANY(f.finding_categories))
                                                        AND (f.findings_after IS NULL OR x.occurred_on > f.findings_after)), '[]'::jsonb))
                                     ORDER BY {Score} DESC, f.flag)
                      FROM {flags} f {Scored} WHERE f.organization_id = p.id)::text
              FROM page p
             ORDER BY p.score DESC, p.id
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. options.Weights.Keys] });
        p.Add(new NpgsqlParameter<double[]> { TypedValue = [.. options.Weights.Values] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. options.LevelFactors.Keys] });
        p.Add(new NpgsqlParameter<double[]> { TypedValue = [.. options.LevelFactors.Values] });
        p.Add(new NpgsqlParameter { Value = (object?)ids ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter { Value = (object?)minScore ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        p.Add(new NpgsqlParameter { Value = (object?)prefecture ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)flag ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)organizationType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<int> { TypedValue = limit });
        p.Add(new NpgsqlParameter<int> { TypedValue = offset });

        var profiles = new List<RiskProfile>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var flagViews = JsonSerializer.Deserialize(reader.GetString(6), RiskJson.Default.ListRiskFlagView) ?? [];
            profiles.Add(new RiskProfile(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetBoolean(4), Math.Round(reader.GetDouble(5), 2), flagViews));
        }
        return profiles;
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<RiskFlagView>))]
internal sealed partial class RiskJson : System.Text.Json.Serialization.JsonSerializerContext;
