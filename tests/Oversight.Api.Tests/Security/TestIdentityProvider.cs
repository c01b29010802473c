using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Oversight.Api.Tests.Security;

/// <summary>
/// A small OpenID Connect provider on loopback, inside the test process: a discovery document and a JWKS holding the keys it
/// currently publishes (RSA and EC), which a test can rotate. It mints tokens the way Keycloak does (roles under
/// <c>realm_access.roles</c>), and any malformed variant a test needs.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    private readonly WebApplication app;
    private volatile SecurityKey[] published;

    private TestIdentityProvider(WebApplication app, string issuer, SecurityKey[] keys)
    {
        this.app = app;
        Issuer = issuer;
        published = keys;
    }

    public string Issuer { get; }

    /// <summary>The RSA key that signs by default, and an EC key also published.</summary>
    public RsaSecurityKey Rsa { get; private set; } = NewRsa();
    public ECDsaSecurityKey Ec { get; } = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = $"ec-{Guid.NewGuid():N}" };

    /// <summary>How many times the API read the key set.</summary>
    public int KeySetReads { get; private set; }

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestIdentityProvider? provider = null;
        app.MapGet("/realms/test/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider!.Issuer,
            ["jwks_uri"] = $"{provider.Issuer}/protocol/openid-connect/certs",
            ["authorization_endpoint"] = $"{provider.Issuer}/protocol/openid-connect/auth",
            ["token_endpoint"] = $"{provider.Issuer}/protocol/openid-connect/token",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256", "ES256" },
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
        }));
        app.MapGet("/realms/test/protocol/openid-connect/certs", () =>
        {
            provider!.KeySetReads++;
            return Results.Json(new { keys = provider.published.Select(Jwk).ToArray() });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        provider = new TestIdentityProvider(app, $"{address}/realms/test", []);
        provider.published = [provider.Rsa, provider.Ec];
        return provider;
    }

    /// <summary>Publishes a new RSA key in place of the old one (the old one is withdrawn) and signs with it from now on.</summary>
    public RsaSecurityKey Rotate()
    {
        var previous = Rsa;
        Rsa = NewRsa();
        published = [Rsa, Ec];
        return previous;
    }

    /// <summary>A token as the provider issues it; every part can be overridden to build an invalid one.</summary>
    public string Token(string role, string subject = "oidc-user", string? audience = "oversight-api", string? issuer = null, SecurityKey? key = null,
        DateTime? notBefore = null, DateTime? expires = null, string? algorithm = null)
    {
        var now = DateTime.UtcNow;
        var signingKey = key ?? Rsa;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                ["preferred_username"] = subject,
                ["realm_access"] = new Dictionary<string, object> { ["roles"] = new[] { role, "offline_access", "uma_authorization" } },
            },
            IssuedAt = now,
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(signingKey, algorithm ?? (signingKey is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256)),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with valid claims.</summary>
    public string UnsignedToken(string role)
    {
        var now = DateTimeOffset.UtcNow;
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(
            $$"""{"iss":"{{Issuer}}","aud":"oversight-api","sub":"mallory","realm_access":{"roles":["{{role}}"]},"nbf":{{now.AddMinutes(-1).ToUnixTimeSeconds()}},"exp":{{now.AddMinutes(10).ToUnixTimeSeconds()}}}""");
        return $"{header}.{payload}.";
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private static RsaSecurityKey NewRsa() => new(RSA.Create(2048)) { KeyId = $"rsa-{Guid.NewGuid():N}" };

    private static Dictionary<string, string> Jwk(SecurityKey key) => key switch
    {
        RsaSecurityKey rsa when rsa.Rsa.ExportParameters(false) is var p => new()
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = rsa.KeyId, ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        },
        ECDsaSecurityKey ec when ec.ECDsa.ExportParameters(false) is var p => new()
        {
            ["kty"] = "EC", ["use"] = "sig", ["alg"] = "ES256", ["kid"] = ec.KeyId, ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    /// <summary>A caller carrying <paramref name="token"/>.</summary>
    public static HttpClient With(ApiFactory api, string token)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

}
