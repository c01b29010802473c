using Npgsql;
using Oversight.EventStore;
using Oversight.Runtime.Projections;

namespace Oversight.ReadModels.Risk;

/// <summary>
/// Risk flags per organization, each naming the events that raised it. Events update small state tables
/// (findings, plans, sanctions, overdue facts…); then the flags of every organization the batch touched —
/// directly, through its supervising organization, a sending organization its plans name, or its legal
/// entity — are recomputed set-based from that state, so a flag is cleared by the event that ends its cause.
/// </summary>
public sealed class RiskProjection(RiskOptions options) : IProjection
{
    public const string ProjectionName = "risk";

    internal static readonly string[] TraffickingCategories =
        ["IllegalOvertime", "UnpaidWages", "ConfiscatedPassportOrResidenceCard", "ViolenceOrThreats", "ForcedSavingsOrDeposits", "RestrictedMovement"];

    public string Name => ProjectionName;

    public IReadOnlyList<string> Tables { get; } = RiskTables.All;

    public async Task CreateTablesAsync(ProjectionContext context, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(RiskTables.CreateSql(context), context.Connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        var changes = new RiskChanges(context);
        foreach (var e in events) changes.Add(e);
        if (changes.IsEmpty) return;

        await using (var batch = new NpgsqlBatch(context.Connection))
        {
            foreach (var command in changes.Commands) batch.BatchCommands.Add(command);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        var touched = await changes.TouchedOrganizationsAsync(cancellationToken);
        if (touched.Length == 0) return;
        await using var flags = new NpgsqlBatch(context.Connection);
        foreach (var command in RiskFlagSql.Recompute(context, touched, options)) flags.BatchCommands.Add(command);
        await flags.ExecuteNonQueryAsync(cancellationToken);
    }
}
