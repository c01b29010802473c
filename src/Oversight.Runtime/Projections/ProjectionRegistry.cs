namespace Oversight.Runtime.Projections;

public sealed class ProjectionRegistry
{
    private readonly List<(IProjection Projection, ProjectionLifecycle Lifecycle)> _all = [];

    public ProjectionRegistry Add(IProjection projection, ProjectionLifecycle lifecycle = ProjectionLifecycle.Async)
    {
        ArgumentNullException.ThrowIfNull(projection);
        if (_all.Any(p => p.Projection.Name == projection.Name))
            throw new ArgumentException($"A projection named '{projection.Name}' is already registered.", nameof(projection));
        _all.Add((projection, lifecycle));
        return this;
    }

    public IReadOnlyList<IProjection> All => _all.Select(p => p.Projection).ToList();
    public IReadOnlyList<IProjection> Async => _all.Where(p => p.Lifecycle == ProjectionLifecycle.Async).Select(p => p.Projection).ToList();
    public IReadOnlyList<IProjection> Inline => _all.Where(p => p.Lifecycle == ProjectionLifecycle.Inline).Select(p => p.Projection).ToList();

    public IProjection Get(string name) =>
        _all.FirstOrDefault(p => p.Projection.Name == name).Projection
        ?? throw new ArgumentException($"No projection named '{name}'. Known: {string.Join(", ", _all.Select(p => p.Projection.Name))}.", nameof(name));

    public bool IsAsync(string name) => _all.Any(p => p.Projection.Name == name && p.Lifecycle == ProjectionLifecycle.Async);
}
