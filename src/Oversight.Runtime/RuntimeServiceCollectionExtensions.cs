using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Oversight.Runtime.Messaging;
using Oversight.Runtime.Projections;

namespace Oversight.Runtime;

/// <summary>What a host declares to the runtime: options, projections and handlers.</summary>
public sealed class RuntimeBuilder
{
    public RuntimeOptions Options { get; } = new();
    public ProjectionRegistry Projections { get; } = new();
    public HandlerRegistry Handlers { get; } = new();
}

public static class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the runtime on top of <c>AddEventStore</c>. Hosts start it with <see cref="EventRuntime.StartAsync"/>
    /// (after the store's migration); its background loops stop when the container is disposed.
    /// </summary>
    public static IServiceCollection AddEventRuntime(this IServiceCollection services, Action<RuntimeBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new RuntimeBuilder();
        configure(builder);
        builder.Options.ValidatedReadModelSchema();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(builder.Options);
        services.AddSingleton(builder.Projections);
        services.AddSingleton(builder.Handlers);
        services.AddSingleton(sp => new WakeSignal(sp.GetRequiredService<EventStore.EventStore>().DataSource,
            sp.GetRequiredService<EventStore.EventStore>().Schema, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<WakeSignal>>()));
        services.AddSingleton<MessageBus>();
        services.AddSingleton<EventWriter>();
        services.AddSingleton<ProjectionDaemon>();
        services.AddSingleton<MessageWorkers>();
        services.AddSingleton<EventRuntime>();
        return services;
    }
}
