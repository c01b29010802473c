using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Oversight.EventStore.Migrations;

/// <summary>
/// A SQL script. Numbered scripts (<c>NNNN_name.sql</c>) run once, in order; repeatable scripts
/// (<c>R_name.sql</c>, for functions) run again whenever their text changes. In the text, <c>{schema}</c>
/// stands for the quoted schema and <c>{schema_name}</c> for its bare (validated) name.
/// </summary>
public sealed record Migration(int? Version, string Name, string Sql)
{
    public bool IsRepeatable => Version is null;
}

/// <summary>
/// Applies a component's scripts in one transaction per run. A transaction-scoped advisory lock per schema
/// makes concurrent starts safe: the second waits, then finds nothing to do. A numbered script whose text
/// changed after it was applied is an error (they are append-only).
/// </summary>
public static class SchemaMigrator
{
    public static IReadOnlyList<Migration> EmbeddedScripts(Assembly assembly, string folder)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var prefix = $"{assembly.GetName().Name}.{folder}.";
        var scripts = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..^4];
            int? version = null;
            if (!name.StartsWith("R_", StringComparison.Ordinal))
            {
                var separator = name.IndexOf('_', StringComparison.Ordinal);
                if (separator <= 0 || !int.TryParse(name[..separator], out var number))
                    throw new InvalidOperationException($"Migration script '{resource}' must be named NNNN_description.sql or R_description.sql.");
                version = number;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(new Migration(version, name, reader.ReadToEnd()));
        }
        var numbered = scripts.Where(s => !s.IsRepeatable).OrderBy(s => s.Version).ToList();
        for (var i = 1; i < numbered.Count; i++)
            if (numbered[i].Version == numbered[i - 1].Version)
                throw new InvalidOperationException($"Two migration scripts share version {numbered[i].Version}.");
        return [.. numbered, .. scripts.Where(s => s.IsRepeatable).OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <summary>Applies what is missing or changed; returns how many scripts ran.</summary>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string schema, string component,
        IReadOnlyList<Migration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(migrations);
        SqlIdentifier.Validate(schema, nameof(schema));
        var quoted = $"\"{schema}\"";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One lock per schema: components sharing a schema also share CREATE SCHEMA and the migrations table.
        await Execute(connection, "SELECT pg_advisory_xact_lock(hashtextextended($1, 1955))", cancellationToken, $"schema:{schema}");
        await Execute(connection, $"""
            CREATE SCHEMA IF NOT EXISTS {quoted};
            CREATE TABLE IF NOT EXISTS {quoted}.schema_migrations (
                component  text        NOT NULL,
                name       text        NOT NULL,
                version    integer,
                checksum   bytea       NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (component, name));
            """, cancellationToken);

        var applied = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand($"SELECT name, checksum FROM {quoted}.schema_migrations WHERE component = $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = component });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) applied[reader.GetString(0)] = reader.GetFieldValue<byte[]>(1);
        }

        var count = 0;
        foreach (var migration in migrations)
        {
            var checksum = SHA256.HashData(Encoding.UTF8.GetBytes(migration.Sql));
            if (applied.TryGetValue(migration.Name, out var existing))
            {
                if (existing.AsSpan().SequenceEqual(checksum)) continue;
                if (!migration.IsRepeatable)
                    throw new InvalidOperationException($"Migration {component}/{migration.Name} was changed after it was applied to schema {schema}.");
            }
            var sql = migration.Sql.Replace("{schema_name}", schema, StringComparison.Ordinal).Replace("{schema}", quoted, StringComparison.Ordinal);
            await Execute(connection, sql, cancellationToken);
            await Execute(connection,
                $"INSERT INTO {quoted}.schema_migrations (component, name, version, checksum) VALUES ($1, $2, $3, $4) " +
                "ON CONFLICT (component, name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()",
                cancellationToken, component, migration.Name, (object?)migration.Version ?? DBNull.Value, checksum);
            count++;
        }
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.Add(parameter is DBNull ? new NpgsqlParameter { Value = parameter, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer } : new NpgsqlParameter { Value = parameter });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
