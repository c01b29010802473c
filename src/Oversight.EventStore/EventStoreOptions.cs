namespace Oversight.EventStore;

public sealed class EventStoreOptions
{
    /// <summary>PostgreSQL schema that holds the store's tables. Lower-case letters, digits and underscores.</summary>
    public string Schema { get; set; } = "eventstore";

    /// <summary>How many times an append is retried in a new transaction after losing a race with a bulk import.</summary>
    public int OrderingConflictRetries { get; set; } = 5;

    internal string ValidatedSchema() => SqlIdentifier.Validate(Schema, nameof(Schema));
}
