using System.Net;
using System.Net.Http.Headers;
using Oversight.Api.Tests.Support;

namespace Oversight.Api.Tests.Cli;

/// <summary>`oversight token` (the real CLI process) mints what an API with the same configuration accepts, and nothing else.</summary>
public sealed class TokenCommandTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<HttpStatusCode> ReadWithAsync(string token)
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync($"/api/v1/organizations/{Guid.CreateVersion7()}")).StatusCode;
    }

    [Fact]
    public async Task A_token_minted_with_the_APIs_configuration_is_accepted_and_carries_the_role()
    {
        var (exit, stdout, stderr) = await OversightCli.RunAsync(new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Testing", ["Auth__SigningKey"] = api.Tokens.SigningKey },
            "token", "--role", "auditor", "--subject", "auditor-9", "--hours", "1");
        Assert.True(exit == 0, stderr);
        var token = stdout.Trim().Split('\n')[^1];

        Assert.Equal(HttpStatusCode.NotFound, await ReadWithAsync(token)); // authenticated and authorized; the organization does not exist

        var (_, analystOut, _) = await OversightCli.RunAsync(new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Testing", ["Auth__SigningKey"] = api.Tokens.SigningKey },
            "token", "--role", "analyst");
        Assert.Equal(HttpStatusCode.Forbidden, await ReadWithAsync(analystOut.Trim().Split('\n')[^1]));
    }

    [Fact]
    public async Task With_an_identity_provider_configured_the_CLI_mints_nothing()
    {
        var (exit, stdout, stderr) = await OversightCli.RunAsync(
            new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production", ["Auth__Authority"] = "https://idp.example/realms/oversight" },
            "token", "--role", "admin");
        Assert.NotEqual(0, exit);
        Assert.Equal("", stdout.Trim());
        Assert.Contains("identity provider", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_development_key_is_refused_outside_Development()
    {
        var (exit, stdout, stderr) = await OversightCli.RunAsync(new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Development" }, "token", "--role", "admin");
        Assert.True(exit == 0, stderr);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadWithAsync(stdout.Trim().Split('\n')[^1]));
    }

    [Fact]
    public async Task Without_a_key_outside_Development_the_CLI_refuses_and_an_unknown_role_is_an_error()
    {
        var (exit, _, stderr) = await OversightCli.RunAsync(new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production" }, "token", "--role", "admin");
        Assert.NotEqual(0, exit);
        Assert.Contains("Auth:SigningKey", stderr, StringComparison.Ordinal);

        var (badRole, _, _) = await OversightCli.RunAsync(new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Development" }, "token", "--role", "superuser");
        Assert.NotEqual(0, badRole);
    }
}
