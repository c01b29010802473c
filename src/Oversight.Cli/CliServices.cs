using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oversight.ReadModels.Storage;

namespace Oversight.Cli;

/// <summary>
/// The storage the API composes (Marten in our configuration, the read models, readers and verifier), built for one command.
/// The CLI never runs the daemon or the follow-up handlers in the background unless a command asks (e.g. a rebuild).
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Build(IConfiguration configuration) =>
        new ServiceCollection()
            .AddLogging()
            .AddOversightStorage(configuration.ConnectionString(), configuration, wolverine: false)
            .BuildServiceProvider();
}
