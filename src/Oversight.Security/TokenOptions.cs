using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace Oversight.Security;

/// <summary>
/// Section <c>Auth</c>: issuer, audience and the HMAC signing key shared by the API and the CLI. Outside
/// Development a key must be configured (<c>Auth__SigningKey</c>, at least 32 bytes); in Development a
/// well-known key is used when none is, so a fresh checkout works and no other environment ever accepts it.
/// </summary>
public sealed class TokenOptions
{
    public const string Section = "Auth";
    internal const string DevelopmentSigningKey = "oversight-development-signing-key-not-for-production-use";

    public string Issuer { get; set; } = "oversight";
    public string Audience { get; set; } = "oversight-api";
    public string? SigningKey { get; set; }

    /// <summary>Longest lifetime the CLI will mint.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    public SymmetricSecurityKey SecurityKey() => new(Encoding.UTF8.GetBytes(SigningKey!)) { KeyId = "oversight-hmac" };

    /// <summary>Reads the section and applies the Development fallback; throws when no usable key is configured.</summary>
    public static TokenOptions Load(IConfiguration configuration, string environmentName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(Section).Get<TokenOptions>() ?? new TokenOptions();
        if (string.IsNullOrEmpty(options.SigningKey) && string.Equals(environmentName, "Development", StringComparison.OrdinalIgnoreCase))
            options.SigningKey = DevelopmentSigningKey;
        if (string.IsNullOrEmpty(options.SigningKey))
            throw new InvalidOperationException($"Auth:SigningKey is not configured for environment '{environmentName}' (set Auth__SigningKey, at least 32 bytes).");
        if (Encoding.UTF8.GetByteCount(options.SigningKey) < 32)
            throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (HMAC-SHA256).");
        return options;
    }
}
