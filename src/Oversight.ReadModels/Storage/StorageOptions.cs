namespace Oversight.ReadModels.Storage;

/// <summary>Where the record lives and what this node runs (configuration section <c>Runtime</c>, kept for compatibility).</summary>
public sealed class StorageOptions
{
    /// <summary>Schema of Marten's tables (events, streams, progress) and the write path's own tables.</summary>
    public string EventSchema { get; set; } = Persistence.OversightStore.DefaultSchema;

    /// <summary>Schema of the read-model tables that the projections own.</summary>
    public string ReadModelSchema { get; set; } = "readmodels";

    /// <summary>Whether this node takes part in running projections (Marten's daemon, one node per projection).</summary>
    public bool RunProjections { get; set; } = true;

    /// <summary>Whether this node claims due deadlines (follow-up handlers run wherever Wolverine runs).</summary>
    public bool RunWorkers { get; set; } = true;

    /// <summary>How often due deadlines are looked for.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether a host applies schema changes at start (the CLI's <c>migrate</c> always does).</summary>
    public bool ApplySchemaAtStart { get; set; } = true;

    /// <summary>
    /// Whether a host records the reference data shipped with it (the Memoranda of Cooperation) at start, for countries the
    /// store has none for (as <c>oversight migrate --reference-data</c> does).
    /// </summary>
    public bool LoadReferenceData { get; set; } = true;

    /// <summary>
    /// Whether the write path's connections ask PostgreSQL for generic plans at start (<c>plan_cache_mode</c> in the startup
    /// options; ADR 12). Off behind a pooler that refuses startup options (PgBouncer, unless <c>options</c> is among its ignored
    /// startup parameters, which then drops the setting); an operator's own <c>plan_cache_mode</c> in the connection string wins.
    /// </summary>
    public bool GenericWritePlans { get; set; } = true;

    /// <summary>Streams whose folded state an API node keeps after writing them, so the next write reads only the events after it (0: off; ADR 12).</summary>
    public int CachedStreamStates { get; set; } = 20_000;
}
