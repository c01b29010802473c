using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Oversight.EventStore.Migrations;

/// <summary>A numbered SQL script; <c>{schema}</c> in its text stands for the target schema.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Applies numbered scripts once, in order, in one transaction per run. A transaction-scoped advisory lock
/// per (schema, component) makes concurrent starts safe: the second waits, then finds nothing to do.
/// A script already applied whose text changed is an error (migrations are append-only).
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
            var separator = name.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(name[..separator], out var version))
                throw new InvalidOperationException($"Migration script '{resource}' must be named NNNN_description.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(new Migration(version, name, reader.ReadToEnd()));
        }
        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < scripts.Count; i++)
            if (scripts[i].Version == scripts[i - 1].Version)
                throw new InvalidOperationException($"Two migration scripts share version {scripts[i].Version}.");
        return scripts;
    }

    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string schema, string component,
        IReadOnlyList<Migration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(migrations);
        var quoted = QuoteIdentifier(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await Execute(connection, "SELECT pg_advisory_xact_lock(hashtextextended($1, 1955))", cancellationToken, $"migrate:{schema}:{component}");
        // CREATE SCHEMA IF NOT EXISTS can still race with a different component's migrator: serialize on the schema too.
        await Execute(connection, "SELECT pg_advisory_xact_lock(hashtextextended($1, 1955))", cancellationToken, $"schema:{schema}");
        await Execute(connection, $"""
            CREATE SCHEMA IF NOT EXISTS {quoted};
            CREATE TABLE IF NOT EXISTS {quoted}.schema_migrations (
                component  text        NOT NULL,
                version    integer     NOT NULL,
                name       text        NOT NULL,
                checksum   bytea       NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (component, version));
            """, cancellationToken);

        var applied = new Dictionary<int, byte[]>();
        await using (var command = new NpgsqlCommand($"SELECT version, checksum FROM {quoted}.schema_migrations WHERE component = $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = component });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) applied[reader.GetInt32(0)] = (byte[])reader[1];
        }

        var count = 0;
        foreach (var migration in migrations)
        {
            var checksum = SHA256.HashData(Encoding.UTF8.GetBytes(migration.Sql));
            if (applied.TryGetValue(migration.Version, out var existing))
            {
                if (!existing.AsSpan().SequenceEqual(checksum))
                    throw new InvalidOperationException($"Migration {component}/{migration.Name} was changed after it was applied to schema {schema}.");
                continue;
            }
            await Execute(connection, migration.Sql.Replace("{schema}", quoted, StringComparison.Ordinal), cancellationToken);
            await Execute(connection, $"INSERT INTO {quoted}.schema_migrations (component, version, name, checksum) VALUES ($1, $2, $3, $4)",
                cancellationToken, component, migration.Version, migration.Name, checksum);
            count++;
        }
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    /// <summary>Schema names are validated by the caller's options; quoting keeps them literal.</summary>
    private static string QuoteIdentifier(string identifier) =>
        string.IsNullOrWhiteSpace(identifier) || identifier.Contains('"', StringComparison.Ordinal)
            ? throw new ArgumentException($"Invalid identifier '{identifier}'.", nameof(identifier))
            : $"\"{identifier}\"";

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
