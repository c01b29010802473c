using Microsoft.Extensions.Configuration;

namespace Oversight.Cli;

/// <summary>The same keys as the API: appsettings.json beside the binary, then environment variables (ConnectionStrings__Oversight).</summary>
internal static class CliConfiguration
{
    public static IConfiguration Load() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    public static string ConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("Oversight")
        ?? throw new InvalidOperationException("ConnectionStrings:Oversight is not configured (set ConnectionStrings__Oversight).");
}
