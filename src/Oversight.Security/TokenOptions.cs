using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace Oversight.Security;

/// <summary>
/// Section <c>Auth</c>. Two modes:
/// <list type="bullet">
/// <item><b>Identity provider</b> (production): <c>Auth:Authority</c> or <c>Auth:MetadataAddress</c> plus <c>Auth:Audience</c>; tokens are
/// RS256/ES256 from the provider, keys from its published JWKS (rotated by <c>kid</c>), roles read from <c>Auth:RoleClaim</c>. No shared
/// key may be configured then, and the CLI mints no tokens.</item>
/// <item><b>Local development</b>: an HMAC key shared by the API and <c>oversight token</c> (<c>Auth:SigningKey</c>, at least 32 bytes); in
/// Development a well-known key is used when none is, so a fresh checkout works and no other environment ever accepts it.</item>
/// </list>
/// </summary>
public sealed class TokenOptions
{
    public const string Section = "Auth";
    internal const string DevelopmentSigningKey = "oversight-development-signing-key-not-for-production-use";

    /// <summary>The longest clock skew accepted, whatever is configured.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(2);

    public string Issuer { get; set; } = "oversight";
    public string Audience { get; set; } = "oversight-api";
    public string? SigningKey { get; set; }

    /// <summary>The identity provider's issuer URL; its discovery document is read from <c>/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The discovery document's address, when it is not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Whether discovery must use HTTPS (off only for a provider on loopback, e.g. in tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Where the provider puts roles: a claim name (<c>roles</c>) or a path into a JSON claim (Keycloak: <c>realm_access.roles</c>).</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>Lifetime tolerance between our clock and the issuer's (bounded by <see cref="MaxClockSkew"/>).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Least time between two reads of the provider's keys when a token names a key we do not know (rotation).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long the provider's key set is trusted before it is read again even if no token names an unknown key (IdentityModel's
    /// least is 5 minutes): a key the provider withdraws while its <c>kid</c> is still known is refused after at most this long.
    /// </summary>
    public TimeSpan KeySetLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Validated tokens the API remembers (until each one's expiry) so a client's next request with the same token skips the signature
    /// check; 0 turns this off. A remembered token still needs its verifying key among those trusted at the time (ValidatedTokens).
    /// </summary>
    public int CachedTokens { get; set; } = 4_096;

    /// <summary>Longest lifetime the CLI will mint.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    public bool UsesIdentityProvider => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(MetadataAddress);

    public SymmetricSecurityKey SecurityKey() => UsesIdentityProvider
        ? throw new InvalidOperationException("An identity provider is configured (Auth:Authority): tokens come from it, never from a shared key.")
        : new(Encoding.UTF8.GetBytes(SigningKey!)) { KeyId = "oversight-hmac" };

    /// <summary>Reads the section and applies the Development fallback; throws when the configuration is not usable or mixes the modes.</summary>
    public static TokenOptions Load(IConfiguration configuration, string environmentName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(Section).Get<TokenOptions>() ?? new TokenOptions();
        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > MaxClockSkew)
            throw new InvalidOperationException($"Auth:ClockSkew must be between 0 and {MaxClockSkew}.");
        if (options.UsesIdentityProvider)
        {
            if (!string.IsNullOrEmpty(options.SigningKey))
                throw new InvalidOperationException("Auth:SigningKey is for local development only and must not be set with Auth:Authority or Auth:MetadataAddress.");
            if (string.IsNullOrWhiteSpace(options.Audience)) throw new InvalidOperationException("Auth:Audience is required with an identity provider.");
            if (string.IsNullOrWhiteSpace(options.RoleClaim)) throw new InvalidOperationException("Auth:RoleClaim is required with an identity provider.");
            if (options.KeyRefreshInterval < TimeSpan.FromSeconds(1)) throw new InvalidOperationException("Auth:KeyRefreshInterval must be at least one second.");
            if (options.KeySetLifetime < TimeSpan.FromMinutes(5)) throw new InvalidOperationException("Auth:KeySetLifetime must be at least 5 minutes.");
            return options;
        }
        if (string.IsNullOrEmpty(options.SigningKey) && string.Equals(environmentName, "Development", StringComparison.OrdinalIgnoreCase))
            options.SigningKey = DevelopmentSigningKey;
        else if (options.SigningKey == DevelopmentSigningKey && !string.Equals(environmentName, "Development", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException("The well-known development key is accepted in Development only; configure a key of your own (Auth__SigningKey).");
        if (string.IsNullOrEmpty(options.SigningKey))
            throw new InvalidOperationException(
                $"Neither Auth:Authority nor Auth:SigningKey is configured for environment '{environmentName}' (set Auth__Authority for an identity provider, or Auth__SigningKey, at least 32 bytes, for local use).");
        if (Encoding.UTF8.GetByteCount(options.SigningKey) < 32)
            throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (HMAC-SHA256).");
        return options;
    }
}
