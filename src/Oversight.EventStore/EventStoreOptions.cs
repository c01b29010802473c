using System.Text.RegularExpressions;

namespace Oversight.EventStore;

public sealed partial class EventStoreOptions
{
    /// <summary>PostgreSQL schema that holds the store's tables. Lower-case letters, digits and underscores.</summary>
    public string Schema { get; set; } = "eventstore";

    /// <summary>How many times an append retries when it lost an ordering race to a concurrent bulk import.</summary>
    public int OrderingConflictRetries { get; set; } = 5;

    internal string ValidatedSchema() =>
        SchemaName().IsMatch(Schema)
            ? Schema
            : throw new ArgumentException($"Schema name '{Schema}' must match {SchemaName()}.", nameof(Schema));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
