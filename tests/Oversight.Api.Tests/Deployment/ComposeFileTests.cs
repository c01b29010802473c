using System.Diagnostics;
using Npgsql;
using Oversight.Api.Tests.Support;

namespace Oversight.Api.Tests.Deployment;

/// <summary>No Docker engine runs here: docker-compose validates the file, and its values are checked against the app's.</summary>
public sealed class ComposeFileTests
{
    [Fact]
    public async Task The_compose_file_is_valid_and_its_database_matches_the_default_connection_string()
    {
        var compose = Repository.PathTo("docker-compose.yml");
        var start = new ProcessStartInfo("docker-compose", ["-f", compose, "config"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker-compose could not start (infra/test.sh installs it)");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);

        // The development connection string (appsettings.Development.json) must reach the composed database.
        var settings = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Repository.PathTo("src", "Oversight.Api", "appsettings.Development.json")));
        var connection = new NpgsqlConnectionStringBuilder(settings.RootElement.GetProperty("ConnectionStrings").GetProperty("Oversight").GetString());
        Assert.Contains($":{connection.Port}:5432", output, StringComparison.Ordinal);
        Assert.Contains($"POSTGRES_USER: {connection.Username}", output, StringComparison.Ordinal);
        Assert.Contains($"POSTGRES_PASSWORD: {connection.Password}", output, StringComparison.Ordinal);
        Assert.Contains($"POSTGRES_DB: {connection.Database}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_composed_API_collector_and_Jaeger_agree_with_each_other_and_with_the_apps_configuration()
    {
        var output = await ConfigAsync();
        var api = Section(output, "api");
        var postgres = Section(output, "postgres");

        // The API reaches the composed database with its credentials, inside the compose network.
        var connection = new NpgsqlConnectionStringBuilder(Value(api, "ConnectionStrings__Oversight"));
        Assert.Equal("postgres", connection.Host);
        Assert.Equal(5432, connection.Port);
        Assert.Equal(Value(postgres, "POSTGRES_USER"), connection.Username);
        Assert.Equal(Value(postgres, "POSTGRES_PASSWORD"), connection.Password);
        Assert.Equal(Value(postgres, "POSTGRES_DB"), connection.Database);

        // It listens where the port mapping points, and is built from the repository's Dockerfile.
        Assert.Equal("http://+:8080", Value(api, "ASPNETCORE_URLS"));
        Assert.Contains("127.0.0.1:8080:8080", api, StringComparison.Ordinal);
        var dockerfile = await File.ReadAllTextAsync(Repository.PathTo("Dockerfile"));
        Assert.True(dockerfile.Split('\n').Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)) >= 2, "multi-stage");
        Assert.Contains("\nUSER app", dockerfile, StringComparison.Ordinal);
        Assert.Contains("src/Oversight.Api/Oversight.Api.csproj", dockerfile, StringComparison.Ordinal);

        // Telemetry: the standard variables the app reads, pointing at the collector's OTLP/gRPC receiver, which forwards to Jaeger.
        Assert.Equal("http://otel-collector:4317", Value(api, "OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.False(string.IsNullOrEmpty(Value(api, "OTEL_SERVICE_NAME")));
        var collector = await File.ReadAllTextAsync(Repository.PathTo("infra", "otel", "collector.yaml"));
        Assert.Contains("endpoint: 0.0.0.0:4317", collector, StringComparison.Ordinal);
        Assert.Contains("endpoint: jaeger:4317", collector, StringComparison.Ordinal);
        Assert.Contains("COLLECTOR_OTLP_ENABLED", Section(output, "jaeger"), StringComparison.Ordinal);
        Assert.Contains("collector.yaml:/etc/otelcol/collector.yaml", Section(output, "otel-collector"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_composed_API_accepts_the_composed_Keycloaks_tokens_and_no_shared_key()
    {
        var output = await ConfigAsync();
        var api = Section(output, "api");
        var keycloak = Section(output, "keycloak");
        Assert.DoesNotContain("Auth__SigningKey", api, StringComparison.Ordinal);
        Assert.Contains("--import-realm", keycloak, StringComparison.Ordinal);
        Assert.Contains("oversight-realm.json:/opt/keycloak/data/import/oversight-realm.json", keycloak, StringComparison.Ordinal);

        using var realm = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Repository.PathTo("infra", "keycloak", "oversight-realm.json")));
        var root = realm.RootElement;
        var name = root.GetProperty("realm").GetString();
        Assert.Equal($"http://keycloak:8080/realms/{name}/.well-known/openid-configuration", Value(api, "Auth__MetadataAddress"));
        Assert.Equal("realm_access.roles", Value(api, "Auth__RoleClaim"));

        // The five roles, a user holding each, and a client whose tokens carry the API's audience.
        var roles = root.GetProperty("roles").GetProperty("realm").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToHashSet();
        Assert.True(roles.SetEquals(Oversight.Security.Roles.All), string.Join(", ", roles));
        var users = root.GetProperty("users").EnumerateArray().ToList();
        Assert.All(Oversight.Security.Roles.All, role => Assert.Contains(users, u => u.GetProperty("realmRoles").EnumerateArray().Any(r => r.GetString() == role)));
        var audiences = root.GetProperty("clients").EnumerateArray().SelectMany(c => c.GetProperty("protocolMappers").EnumerateArray())
            .Where(m => m.GetProperty("protocolMapper").GetString() == "oidc-audience-mapper")
            .Select(m => m.GetProperty("config").GetProperty("included.custom.audience").GetString());
        Assert.Contains(Value(api, "Auth__Audience"), audiences);
    }

    private static async Task<string> ConfigAsync()
    {
        var start = new ProcessStartInfo("docker-compose", ["-f", Repository.PathTo("docker-compose.yml"), "config"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker-compose could not start (infra/test.sh installs it)");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);
        return output;
    }

    /// <summary>A service's block of the normalized `config` output (two-space indented under `services:`).</summary>
    private static string Section(string config, string service)
    {
        var lines = config.Split('\n');
        var start = Array.FindIndex(lines, l => l == $"  {service}:");
        Assert.True(start >= 0, $"service {service} is not in the compose file");
        var end = Array.FindIndex(lines, start + 1, l => l.Length > 2 && !l.StartsWith("   ", StringComparison.Ordinal));
        return string.Join('\n', lines[start..(end < 0 ? lines.Length : end)]);
    }

    private static string Value(string section, string key)
    {
        var line = section.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith($"{key}:", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"{key} is not set in:\n{section}");
        return line[(key.Length + 1)..].Trim().Trim('\'', '"');
    }
}
