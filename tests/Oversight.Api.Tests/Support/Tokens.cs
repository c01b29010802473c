using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Oversight.Security;

namespace Oversight.Api.Tests.Support;

/// <summary>Tokens the API must refuse, minted directly (TokenIssuer only makes good ones).</summary>
internal static class Tokens
{
    /// <summary>Correctly signed, but expired ten minutes ago (well past the 30 s clock skew).</summary>
    public static string Expired(this ApiFactory api, string role)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = api.Tokens.Issuer,
            Audience = api.Tokens.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "tester"), new Claim("role", role)]),
            IssuedAt = now.AddHours(-2),
            NotBefore = now.AddHours(-2),
            Expires = now.AddMinutes(-10),
            SigningCredentials = new SigningCredentials(api.Tokens.SecurityKey(), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A well-formed, unexpired token signed with a key the API does not know.</summary>
    public static string SignedWithAnotherKey(string role) =>
        new TokenIssuer(new TokenOptions { SigningKey = $"another-signing-key-{Guid.NewGuid():N}" }, TimeProvider.System).Create("tester", role, TimeSpan.FromHours(1));

    /// <summary>A correctly signed, unexpired token carrying exactly these claims.</summary>
    public static string WithClaims(this ApiFactory api, params (string Type, string Value)[] claims)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = api.Tokens.Issuer,
            Audience = api.Tokens.Audience,
            Subject = new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value))),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(api.Tokens.SecurityKey(), SecurityAlgorithms.HmacSha256),
        });
    }
}
