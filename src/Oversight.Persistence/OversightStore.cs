using JasperFx.Events;
using Marten;
using Oversight.Persistence.Events;
using Weasel.Core;

namespace Oversight.Persistence;

/// <summary>
/// Marten configured for the oversight record (ADR 8): string stream keys (<c>so-…</c>, <c>entity-…</c>), explicit
/// versioned event names, System.Text.Json (camelCase, enums by name), every metadata column on, recording
/// instants from the injected clock, and projection errors never skipped.
/// </summary>
public static class OversightStore
{
    public const string DefaultSchema = "oversight";

    public static StoreOptions Configure(this StoreOptions options, string connectionString, TimeProvider clock, string schema = DefaultSchema)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        options.Connection(WithAutoPrepare(connectionString));
        options.DatabaseSchemaName = schema;
        options.Events.DatabaseSchemaName = schema;
        options.Events.StreamIdentity = StreamIdentity.AsString;
        // Quick appends (one function call per stream, fewer sequence gaps) with the timestamps we stamp into the chain.
        options.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.UserNameEnabled = true;
        options.Events.EnableUniqueIndexOnEventId = true;
        // Ours (EventReader.SubjectIndexSql): Marten must not drop it as unknown when it applies its schema.
        options.Events.IgnoreIndex(Reading.EventReader.SubjectIndex);
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        foreach (var (type, name) in EventNames.Domain) options.Events.MapEventType(type, name);
        // Poll the high-water mark often (read-your-writes waits on it). Not LISTEN/NOTIFY: a NOTIFY in every append
        // transaction takes PostgreSQL's global notify lock at commit and serializes concurrent writers.
        // The slow poll too: Marten's high-water agent waits it whenever a poll finds nothing new or a gap still open, and at
        // 100 ms those waits were the lag's tail (p90 109 → 45–51 ms at 1,000 events/s; idle cost: one query per 20 ms). ADR 12.
        options.Projections.FastPollingTime = TimeSpan.FromMilliseconds(20);
        options.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(20);
        options.Projections.Errors.SkipApplyErrors = false;
        options.Projections.Errors.SkipSerializationErrors = false;
        options.Projections.Errors.SkipUnknownEvents = false;
        options.Projections.RebuildErrors.SkipApplyErrors = false;
        options.Projections.RebuildErrors.SkipSerializationErrors = false;
        options.Projections.RebuildErrors.SkipUnknownEvents = false;
        // A paused shard's status and reason are written to mt_event_progression, so any process (oversight projections
        // status, another node) can see why a read model stopped, not only the node that runs it.
        options.Events.EnableExtendedProgressionTracking = true;
        options.Events.TimeProvider = clock;
        return options;
    }

    /// <summary>
    /// Npgsql prepares the statements Marten, Wolverine and the daemon's projections run again and again (the risk batch alone
    /// is a dozen statements, each planned in 0.1–0.4 ms). Prepared statements change how Npgsql resets a pooled connection: not
    /// DISCARD ALL but a reset that keeps them (and still releases advisory locks). ADR 12. An operator's own setting wins
    /// (0 turns it off, e.g. behind a pooler in transaction mode).
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare")) return connectionString;
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 128 }.ConnectionString;
    }
}
