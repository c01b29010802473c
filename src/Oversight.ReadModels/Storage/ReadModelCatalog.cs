using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.Storage;

/// <summary>
/// The read models this build runs and serves, at their versions: where each one's tables are and which progression row is
/// its own. Registered once per host, so the daemon writes and the queries read the same version's tables.
/// </summary>
public sealed class ReadModelCatalog(IReadOnlyList<ISqlProjection> projections, string schema)
{
    public IReadOnlyList<ISqlProjection> Projections { get; } = projections;

    public string Schema { get; } = schema;

    public ISqlProjection this[string name] =>
        Projections.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"No read model named '{name}'.", nameof(name));

    public ProjectionTables Tables(string name) => ProjectionTables.Of(Schema, this[name]);

    /// <summary>The row in <c>mt_event_progression</c> where the daemon records how far this version has applied the log.</summary>
    public string ProgressionName(string name) => MartenSqlProjection.ProgressionName(this[name]);
}
