using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Oversight.Security;

/// <summary>Mints HS256 bearer tokens the API accepts: <c>sub</c> (who), <c>role</c> (what they may do).</summary>
public sealed class TokenIssuer(TokenOptions options, TimeProvider clock)
{
    public string Create(string subject, string role, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        if (!Roles.IsKnown(role)) throw new ArgumentException($"Unknown role '{role}'; known: {string.Join(", ", Roles.All)}.", nameof(role));
        if (lifetime <= TimeSpan.Zero || lifetime > TokenOptions.MaxLifetime)
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"A token lives more than 0 and at most {TokenOptions.MaxLifetime.TotalDays} days.");
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role), new Claim("jti", Guid.CreateVersion7().ToString())]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(options.SecurityKey(), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>What the API checks: signature, issuer, audience, lifetime (30 s skew), and the claim names above.</summary>
    public static TokenValidationParameters ValidationParameters(TokenOptions options) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        IssuerSigningKey = options.SecurityKey(),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = "sub",
        RoleClaimType = "role",
    };
}
