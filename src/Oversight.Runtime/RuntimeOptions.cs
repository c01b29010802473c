using System.Text.RegularExpressions;

namespace Oversight.Runtime;

public sealed partial class RuntimeOptions
{
    /// <summary>Schema of the read-model tables that async projections own.</summary>
    public string ReadModelSchema { get; set; } = "readmodels";

    /// <summary>Identifies this process in leadership and status output.</summary>
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public bool RunProjections { get; set; } = true;
    public bool RunWorkers { get; set; } = true;

    public int ProjectionBatchSize { get; set; } = 500;
    public int RebuildBatchSize { get; set; } = 5000;

    /// <summary>How often a daemon or worker looks for work when no notification arrived (fallback for LISTEN/NOTIFY).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a node that does not lead a projection tries to take it over.</summary>
    public TimeSpan LeadershipRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts at an event that makes a projection throw before it is dead-lettered.</summary>
    public int ProjectionAttempts { get; set; } = 3;

    /// <summary>Delay before retrying after a database outage or between attempts at a failing event.</summary>
    public TimeSpan ProjectionRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Concurrent message workers in this process.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Attempts at a message before it is dead-lettered.</summary>
    public int MessageAttempts { get; set; } = 5;

    /// <summary>Retry n waits RetryBaseDelay × 2^(n−1), at most MaxRetryDelay.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long handled message ids are kept to recognize redeliveries (dead-letter replays included).</summary>
    public TimeSpan HandledMessageRetention { get; set; } = TimeSpan.FromDays(30);

    internal string ValidatedReadModelSchema() =>
        Identifier().IsMatch(ReadModelSchema)
            ? ReadModelSchema
            : throw new ArgumentException($"Schema name '{ReadModelSchema}' must match {Identifier()}.", nameof(ReadModelSchema));

    internal TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, RetryBaseDelay.Ticks * (1L << Math.Clamp(attempt - 1, 0, 30))));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
