using Npgsql;

namespace Oversight.Benchmarks;

/// <summary>One database for the run; the stores and the raw baselines share it and its server.</summary>
public sealed class BenchContext(NpgsqlDataSource dataSource, bool quick, string connectionString)
{
    /// <summary>The benchmark database, for API processes and services the scenarios start.</summary>
    public string ConnectionString { get; } = connectionString;

    public NpgsqlDataSource DataSource { get; } = dataSource;
    public bool Quick { get; } = quick;

    /// <summary>Results of the scenarios run so far, for scenarios whose baseline is another's figure.</summary>
    public Dictionary<string, ScenarioResult> Results { get; } = [];

    public TimeSpan Duration(TimeSpan full) => Quick ? TimeSpan.FromSeconds(Math.Min(2, full.TotalSeconds)) : full;
    public int Size(int full, int quick) => Quick ? quick : full;

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The raw baseline's table: an event table's columns and indexes (stream/version, event id, commit order), nothing else.</summary>
    public async Task ResetBaselineTableAsync()
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS baseline_events;
            CREATE TABLE baseline_events (
                seq bigserial PRIMARY KEY, tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(), stream_id text NOT NULL,
                version bigint NOT NULL, event_id uuid NOT NULL, event_type text NOT NULL, schema_version integer NOT NULL,
                data jsonb NOT NULL, recorded_at timestamptz NOT NULL, occurred_on date, actor_id text, actor_role text,
                correlation_id text, causation_id text, idempotency_key text, hash bytea NOT NULL,
                UNIQUE (stream_id, version), UNIQUE (event_id));
            CREATE INDEX ON baseline_events (tx_id, seq);
            ALTER TABLE baseline_events SET (autovacuum_enabled = false);
            """);
    }

    /// <summary>Flushes dirty pages so a timed phase does not pay for the previous phase's writes.</summary>
    public Task CheckpointAsync() => ExecuteAsync("CHECKPOINT");
}

public sealed record ScenarioResult(string Name, double Ours, double Baseline, string Unit, string? Note = null)
{
    public double Ratio => Baseline == 0 ? 0 : Ours / Baseline;

    public override string ToString() => FormattableString.Invariant(
        $"scenario={Name} ours={Ours:0.##} baseline={Baseline:0.##} ratio={Ratio:0.###} unit={Unit}");
}

public interface IScenario
{
    string Name { get; }
    Task<ScenarioResult> RunAsync(BenchContext context);
}
