using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Oversight.Security;

namespace Oversight.Api.Security;

internal static class AuthenticationSetup
{
    /// <summary>Asymmetric algorithms accepted from an identity provider; never <c>none</c>, never a shared-key algorithm.</summary>
    private static readonly string[] ProviderAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>
    /// JWT bearer tokens, from the configured identity provider (OpenID Connect discovery, JWKS with rotation by <c>kid</c>) or, for
    /// local development only, HS256 with the shared key (<see cref="TokenOptions"/>). Either way the principal ends up with the
    /// subject and our roles only (<c>role</c>, read from the provider's claim). Unauthenticated → 401, wrong role → 403, both as
    /// problem+json (status code pages write the body).
    /// </summary>
    public static WebApplicationBuilder AddOversightAuthentication(this WebApplicationBuilder builder)
    {
        var options = TokenOptions.Load(builder.Configuration, builder.Environment.EnvironmentName);
        builder.Services.AddSingleton(options);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            if (options.UsesIdentityProvider) UseIdentityProvider(jwt, options);
            else jwt.TokenValidationParameters = TokenIssuer.ValidationParameters(options);
            jwt.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    context.Principal = OurPrincipal(context.Principal!, options, out var failure);
                    if (failure is not null) context.Fail(failure);
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddSingleton(sp => new ValidatedTokens(new JsonWebTokenHandler { MapInboundClaims = false }, sp.GetRequiredService<TimeProvider>(),
            options.CachedTokens));
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<ValidatedTokens>((jwt, tokens) =>
        {
            jwt.TokenHandlers.Clear();
            jwt.TokenHandlers.Add(tokens);
        });
        builder.Services.AddAuthorization(authorization =>
        {
            foreach (var (policy, roles) in Policies.RolesOf)
                authorization.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
            // Endpoints without an explicit policy still need a token: only health and the public register opt out.
            authorization.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        return builder;
    }

    private static void UseIdentityProvider(JwtBearerOptions jwt, TokenOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Authority)) jwt.Authority = options.Authority;
        if (!string.IsNullOrWhiteSpace(options.MetadataAddress)) jwt.MetadataAddress = options.MetadataAddress;
        jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
        // A token naming a key we do not know makes the token handler read the provider's keys again (at most once per interval)
        // and validate once more: blocking (Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking in the project file: IdentityModel
        // reads it once per process), so the request that meets a rotated key waits for the new set
        // instead of failing while it is refreshed in the background, IdentityModel's default since 8.x. No "last known good" key
        // set, and the set is re-read every Auth:KeySetLifetime: a key the provider has withdrawn (perhaps compromised) is refused
        // from the next read on, at most 5 minutes later by default, instead of being kept as a fallback.
        jwt.RefreshOnIssuerKeyNotFound = true;
        var metadata = !string.IsNullOrWhiteSpace(options.MetadataAddress)
            ? options.MetadataAddress
            : $"{options.Authority!.TrimEnd('/')}/.well-known/openid-configuration";
        jwt.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(metadata, new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = options.RequireHttpsMetadata })
        {
            RefreshInterval = options.KeyRefreshInterval,
            AutomaticRefreshInterval = options.KeySetLifetime,
            UseLastKnownGoodConfiguration = false,
        };
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true, // the issuer comes from the discovery document
            ValidAudience = options.Audience,
            ValidAlgorithms = ProviderAlgorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = options.ClockSkew,
            NameClaimType = "sub",
            RoleClaimType = "role",
        };
    }

    /// <summary>
    /// Every write records the caller's subject: a token without one is not a credential for this API (401, never a 500 later).
    /// The principal keeps the provider's claims except <c>role</c>, which holds only the roles
    /// read from <see cref="TokenOptions.RoleClaim"/>, most privileged first (the one recorded).
    /// </summary>
    private static ClaimsPrincipal OurPrincipal(ClaimsPrincipal principal, TokenOptions options, out string? failure)
    {
        failure = null;
        if (string.IsNullOrWhiteSpace(principal.FindFirst("sub")?.Value))
        {
            failure = "The token has no subject (sub).";
            return principal;
        }
        var roles = RoleClaims.Read(principal, options.RoleClaim); // none of ours: authenticated, allowed nothing (403)
        // Role checks compare claim types ignoring case, so a "Role" claim must go too; lookups stay case-sensitive, as IdentityModel's.
        var claims = principal.Claims.Where(c => !string.Equals(c.Type, "role", StringComparison.OrdinalIgnoreCase)).Concat(roles.Select(r => new Claim("role", r)));
        return new ClaimsPrincipal(new CaseSensitiveClaimsIdentity(claims, JwtBearerDefaults.AuthenticationScheme, "sub", "role"));
    }
}
