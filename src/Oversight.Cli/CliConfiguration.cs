using Microsoft.Extensions.Configuration;

namespace Oversight.Cli;

/// <summary>
/// The same keys and environment as the API: appsettings.json and appsettings.{environment}.json beside the
/// binary, then environment variables (ConnectionStrings__Oversight, Auth__SigningKey). The environment is
/// DOTNET_ENVIRONMENT or ASPNETCORE_ENVIRONMENT, Production when neither is set (as for the API).
/// </summary>
internal static class CliConfiguration
{
    public static string EnvironmentName =>
        Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";

    public static IConfiguration Load() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddJsonFile($"appsettings.{EnvironmentName}.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    public static string ConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("Oversight")
        ?? throw new InvalidOperationException("ConnectionStrings:Oversight is not configured (set ConnectionStrings__Oversight).");
}
