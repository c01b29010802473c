using System.Text.RegularExpressions;
using Npgsql;

namespace Oversight.Runtime.Projections;

/// <summary>The open transaction a projection writes through, and the names of its tables for this run.</summary>
public sealed partial class ProjectionContext
{
    internal const string RebuildSuffix = "__rebuild";
    private readonly string _schema;
    private readonly string _suffix;

    internal ProjectionContext(NpgsqlConnection connection, string schema, bool rebuilding)
    {
        Connection = connection;
        _schema = schema;
        _suffix = rebuilding ? RebuildSuffix : "";
    }

    /// <summary>The connection whose transaction commits the projection's writes (and its checkpoint).</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>Qualified, quoted name of one of the projection's tables: the live one, or its fresh copy during a rebuild.</summary>
    public string Table(string name) =>
        Identifier().IsMatch(name)
            ? $"\"{_schema}\".\"{name}{_suffix}\""
            : throw new ArgumentException($"Table name '{name}' must match {Identifier()}.", nameof(name));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,50}$")]
    private static partial Regex Identifier();
}
