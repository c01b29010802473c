using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Security;

/// <summary>An API configured with an identity provider (<see cref="TestIdentityProvider"/> on loopback) and the provider itself.</summary>
public sealed class IdentityProviderFixture : IAsyncLifetime
{
    public TestIdentityProvider Provider { get; private set; } = null!;
    public ApiFactory Api { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Provider = await TestIdentityProvider.StartAsync();
        Api = new ApiFactory
        {
            Settings = new Dictionary<string, string>
            {
                ["Auth:Authority"] = Provider.Issuer,
                ["Auth:RequireHttpsMetadata"] = "false", // the test provider is plain HTTP on loopback
                ["Auth:RoleClaim"] = "realm_access.roles",
                ["Auth:KeyRefreshInterval"] = "00:00:01",
            },
        };
        await Api.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>Issue 14: tokens from an identity provider (discovery, JWKS, rotation, RS256/ES256) replace the shared key.</summary>
public sealed class OpenIdConnectTests(IdentityProviderFixture fixture) : IClassFixture<IdentityProviderFixture>
{
    private TestIdentityProvider Provider => fixture.Provider;

    // An organization that does not exist: auditing roles are let through to a 404, analysts stop at 403.
    private static readonly string Organization = $"/api/v1/organizations/{Guid.CreateVersion7()}";

    public static TheoryData<string> AllRoles => new(Roles.All);

    [Theory]
    [MemberData(nameof(AllRoles))]
    public async Task A_provider_token_carries_its_role_from_the_providers_claim(string role)
    {
        using var client = TestIdentityProvider.With(fixture.Api, Provider.Token(role));
        var response = await client.GetAsync(Organization);
        Assert.Equal(role == Roles.Analyst ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task An_ES256_token_from_the_provider_is_accepted()
    {
        using var client = TestIdentityProvider.With(fixture.Api, Provider.Token(Roles.Auditor, key: Provider.Ec));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Organization)).StatusCode);
    }

    [Fact]
    public async Task A_write_records_the_providers_subject_and_the_role_read_from_its_claim()
    {
        using var client = TestIdentityProvider.With(fixture.Api, Provider.Token(Roles.Officer, subject: "officer-from-idp"));
        var body = TestData.SupervisingOrganization();
        var response = await client.PostJsonAsync("/api/v1/supervising-organizations", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM oversight.mt_events WHERE user_name = 'officer-from-idp' AND headers->>'actorRole' = 'officer'", connection);
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    public static TheoryData<string> Refused => new(
        "expired", "not yet valid", "wrong audience", "no audience", "wrong issuer", "unknown key", "alg none", "HS256 with a shared key");

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_token_that_is_not_the_providers_or_not_valid_now_is_401(string variant)
    {
        var now = DateTime.UtcNow;
        var token = variant switch
        {
            "expired" => Provider.Token(Roles.Auditor, notBefore: now.AddMinutes(-30), expires: now.AddMinutes(-5)),
            "not yet valid" => Provider.Token(Roles.Auditor, notBefore: now.AddMinutes(5), expires: now.AddMinutes(30)),
            "wrong audience" => Provider.Token(Roles.Auditor, audience: "another-api"),
            "no audience" => Provider.Token(Roles.Auditor, audience: null),
            "wrong issuer" => Provider.Token(Roles.Auditor, issuer: "http://127.0.0.1:1/realms/evil"),
            "unknown key" => Provider.Token(Roles.Auditor, key: new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = "never-published" }),
            "alg none" => Provider.UnsignedToken(Roles.Admin),
            "HS256 with a shared key" => Provider.Token(Roles.Admin, key: new SymmetricSecurityKey(new byte[32]) { KeyId = "oversight-hmac" }, algorithm: SecurityAlgorithms.HmacSha256),
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
        using var client = TestIdentityProvider.With(fixture.Api, token);
        var response = await client.GetAsync(Organization);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_provider_token_with_none_of_our_roles_is_allowed_nothing()
    {
        using var client = TestIdentityProvider.With(fixture.Api, Provider.Token("uma_authorization"));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Organization)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostJsonAsync("/api/v1/supervising-organizations", TestData.SupervisingOrganization())).StatusCode);
    }

    [Fact]
    public async Task A_rotated_key_is_accepted_without_a_restart_and_the_withdrawn_one_is_not()
    {
        using (var before = TestIdentityProvider.With(fixture.Api, Provider.Token(Roles.Auditor)))
            Assert.Equal(HttpStatusCode.NotFound, (await before.GetAsync(Organization)).StatusCode);
        var withdrawn = Provider.Rotate();
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the least interval between two reads of the key set (Auth:KeyRefreshInterval)

        using var rotated = TestIdentityProvider.With(fixture.Api, Provider.Token(Roles.Auditor));
        Assert.Equal(HttpStatusCode.NotFound, (await rotated.GetAsync(Organization)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        using var old = TestIdentityProvider.With(fixture.Api, Provider.Token(Roles.Auditor, key: withdrawn));
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync(Organization)).StatusCode);
    }

    [Fact]
    public async Task A_token_accepted_before_its_key_was_withdrawn_is_refused_after_the_key_set_is_read_again()
    {
        var token = Provider.Token(Roles.Auditor);
        var tokens = fixture.Api.Services.GetRequiredService<Oversight.Api.Security.ValidatedTokens>();
        using (var before = TestIdentityProvider.With(fixture.Api, token))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await before.GetAsync(Organization)).StatusCode);
            var hits = tokens.Hits;
            Assert.Equal(HttpStatusCode.NotFound, (await before.GetAsync(Organization)).StatusCode);
            Assert.Equal(hits + 1, tokens.Hits); // remembered, checked against the provider's key set
        }
        Provider.Rotate();
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the least interval between two reads of the key set (Auth:KeyRefreshInterval)
        using (var rotated = TestIdentityProvider.With(fixture.Api, Provider.Token(Roles.Auditor))) // unknown kid: the key set is read again
            Assert.Equal(HttpStatusCode.NotFound, (await rotated.GetAsync(Organization)).StatusCode);

        using var after = TestIdentityProvider.With(fixture.Api, token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await after.GetAsync(Organization)).StatusCode);
    }

    [Fact]
    public void A_shared_key_beside_an_identity_provider_is_refused_at_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Authority"] = Provider.Issuer,
            ["Auth:SigningKey"] = new string('k', 48),
        }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => TokenOptions.Load(configuration, "Production"));
        Assert.Contains("local development only", error.Message, StringComparison.Ordinal);
        var development = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = "oversight-development-signing-key-not-for-production-use",
        }).Build();
        Assert.Throws<InvalidOperationException>(() => TokenOptions.Load(development, "Production"));
        Assert.NotNull(TokenOptions.Load(development, "Development"));
        var options = TokenOptions.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:Authority"] = Provider.Issuer }).Build(), "Production");
        Assert.Throws<InvalidOperationException>(() => new TokenIssuer(options, TimeProvider.System).Create("someone", Roles.Admin, TimeSpan.FromHours(1)));
    }
}
