using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Oversight.EventStore.Serialization;

namespace Oversight.EventStore;

public static class EventStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the NpgsqlDataSource for <paramref name="connectionString"/>, the event type registry built by
    /// <paramref name="registerTypes"/>, and the store. <see cref="TimeProvider"/> defaults to the system clock.
    /// </summary>
    public static IServiceCollection AddEventStore(this IServiceCollection services, string connectionString,
        Action<EventTypeRegistry> registerTypes, Action<EventStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(registerTypes);

        var options = new EventStoreOptions();
        configure?.Invoke(options);
        var registry = new EventTypeRegistry();
        registerTypes(registry);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => CreateDataSource(connectionString));
        services.AddSingleton(options);
        services.AddSingleton(registry);
        services.AddSingleton<EventStore>();
        return services;
    }

    /// <summary>The store's statements are few and hot: let Npgsql prepare them automatically unless told otherwise.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // A plain builder holds only the keys the caller wrote (Npgsql's reports every keyword it knows).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare")) builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        return builder.Build();
    }
}
