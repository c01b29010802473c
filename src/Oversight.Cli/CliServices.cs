using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oversight.ReadModels;

namespace Oversight.Cli;

/// <summary>
/// The storage the API composes, built for one command: same configuration, same event types, projections
/// and handlers. The CLI never runs the daemon or workers in the background unless a command asks (e.g. a rebuild).
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Build(IConfiguration configuration) =>
        new ServiceCollection()
            .AddLogging()
            .AddOversightStorage(configuration.ConnectionString(), configuration, runtime =>
            {
                runtime.RunProjections = false;
                runtime.RunWorkers = false;
            })
            .BuildServiceProvider();
}
