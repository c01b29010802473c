using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Oversight.Api.Security;

/// <summary>
/// The bearer token handler with a memory of the tokens it validated lately: an inspector's client sends the same token with every
/// request, and checking its signature, issuer, audience and lifetime again each time was 4–7 % of the API's CPU under the write
/// load (RS256 from a provider costs more than the development HS256; ADR 12). A remembered token is accepted again only while
/// it is the same string, before its expiry by the injected clock and by the system clock IdentityModel checks lifetimes with,
/// and while the key that verified it is still one the
/// validation trusts (the configured key, or the provider's current key set: a rotated or withdrawn key, or a key set read
/// again, makes it validate in full once more). Tokens that fail are never remembered. Capacity 0 turns the memory off.
/// </summary>
internal sealed class ValidatedTokens(JsonWebTokenHandler inner, TimeProvider clock, int capacity) : TokenHandler, IDisposable
{
    private readonly MemoryCache? _cache = capacity <= 0 ? null : new(new MemoryCacheOptions { SizeLimit = capacity, CompactionPercentage = 0.25 });

    private sealed record Validated(TokenValidationResult Result, SecurityKey Key, DateTimeOffset Expires);

    private long _hits;

    /// <summary>Validations answered from memory (for tests and diagnostics).</summary>
    internal long Hits => Interlocked.Read(ref _hits);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        if (_cache is null || string.IsNullOrEmpty(token)) return await inner.ValidateTokenAsync(token, validationParameters);

        // The later of the two clocks: IdentityModel judges lifetimes by the system's, the service by the injected one.
        var (injected, system) = (clock.GetUtcNow(), TimeProvider.System.GetUtcNow());
        var now = injected > system ? injected : system;
        if (_cache.Get(token) is Validated known && now < known.Expires && await IsTrustedAsync(known.Key, validationParameters))
        {
            Interlocked.Increment(ref _hits);
            return Copy(known.Result);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { SigningKey: { } key } validated && validated.ValidTo > now.UtcDateTime)
        {
            var expires = new DateTimeOffset(DateTime.SpecifyKind(validated.ValidTo, DateTimeKind.Utc));
            _cache.Set(token, new Validated(result, key, expires),
                new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = expires - now });
            return Copy(result);
        }
        return result;
    }

    /// <summary>Whether <paramref name="key"/> is still among the keys a validation with these parameters would try.</summary>
    private static async ValueTask<bool> IsTrustedAsync(SecurityKey key, TokenValidationParameters parameters)
    {
        if (ReferenceEquals(parameters.IssuerSigningKey, key) || parameters.IssuerSigningKeys?.Contains(key) == true) return true;
        if (parameters.ConfigurationManager is null) return false;
        // The provider's current key set (IdentityModel keeps it between reads; a new read brings new key objects).
        var configuration = await parameters.ConfigurationManager.GetBaseConfigurationAsync(CancellationToken.None);
        return configuration?.SigningKeys?.Contains(key) == true;
    }

    /// <summary>
    /// Each request gets its own identity: nothing one request does to its principal reaches another's. Of the same type, so its
    /// claim lookups stay case-sensitive as IdentityModel made them (<c>Clone</c> would return a case-insensitive one).
    /// </summary>
    private static TokenValidationResult Copy(TokenValidationResult result) => new()
    {
        IsValid = true,
        SecurityToken = result.SecurityToken,
        ClaimsIdentity = result.ClaimsIdentity is CaseSensitiveClaimsIdentity identity ? new CaseSensitiveClaimsIdentity(identity) : result.ClaimsIdentity.Clone(),
        Issuer = result.Issuer,
        TokenType = result.TokenType,
    };

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    public void Dispose() => _cache?.Dispose();
}
