using Microsoft.AspNetCore.Authentication.JwtBearer;
using Oversight.Security;

namespace Oversight.Api.Security;

internal static class AuthenticationSetup
{
    /// <summary>
    /// JWT bearer tokens signed with the configured key (Development falls back to a well-known key; every
    /// other environment refuses to start without one). Unauthenticated → 401, wrong role → 403, both as
    /// problem+json (status code pages write the body).
    /// </summary>
    public static WebApplicationBuilder AddOversightAuthentication(this WebApplicationBuilder builder)
    {
        var options = TokenOptions.Load(builder.Configuration, builder.Environment.EnvironmentName);
        builder.Services.AddSingleton(options);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = TokenIssuer.ValidationParameters(options);
            // Every write records the caller's subject: a token without one is not a valid credential (401, not a 500 later).
            jwt.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (string.IsNullOrWhiteSpace(context.Principal?.FindFirst("sub")?.Value)) context.Fail("The token has no subject (sub).");
                    return Task.CompletedTask;
                },
            };
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
}
