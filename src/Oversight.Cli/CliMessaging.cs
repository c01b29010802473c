using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Oversight.ReadModels.FollowUps;
using Oversight.ReadModels.Storage;
using Wolverine;

namespace Oversight.Cli;

/// <summary>
/// Marten and Wolverine composed as the API composes them, built but not started: what the commands that touch Wolverine's
/// message store (its schema, its dead letters) and Marten's/Wolverine's own command line need. Nothing runs in the background.
/// </summary>
internal static class CliMessaging
{
    public static IHost Build(IConfiguration configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = CliConfiguration.EnvironmentName });
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddLogging();
        builder.Services.AddOversightStorage(configuration.ConnectionString(), configuration);
        builder.UseWolverine(options =>
        {
            options.UseRuntimeCompilation();
            options.AddFollowUps(buildStorage: false);
        });
        return builder.Build();
    }
}
