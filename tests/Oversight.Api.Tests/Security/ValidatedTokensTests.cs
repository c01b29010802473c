using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Oversight.Api.Security;

namespace Oversight.Api.Tests.Security;

/// <summary>Validated tokens remembered (ADR 12): the same token, unexpired, verified by a key still trusted; nothing else.</summary>
public sealed class ValidatedTokensTests : IDisposable
{
    private readonly SymmetricSecurityKey _key = new(new byte[32]) { KeyId = "k1" };
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly CountingHandler _inner = new();
    private readonly ValidatedTokens _tokens;

    public ValidatedTokensTests() => _tokens = new ValidatedTokens(_inner, _clock, capacity: 16);

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public async Task The_same_token_is_checked_once_and_each_request_gets_its_own_identity()
    {
        var token = Token(_key);
        var first = await _tokens.ValidateTokenAsync(token, Parameters(_key));
        var second = await _tokens.ValidateTokenAsync(token, Parameters(_key));

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _inner.Calls);
        Assert.Equal(1, _tokens.Hits);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal("inspector-7", second.ClaimsIdentity.FindFirst("sub")?.Value);
        // The copy keeps IdentityModel's case-sensitive lookups: a "SUB" claim is not the subject.
        Assert.IsType<CaseSensitiveClaimsIdentity>(second.ClaimsIdentity);
        Assert.Null(second.ClaimsIdentity.FindFirst("SUB"));
        Assert.Equal(first.SecurityToken.Id, second.SecurityToken.Id);
    }

    [Fact]
    public async Task A_remembered_token_is_checked_again_once_it_has_expired()
    {
        var token = Token(_key);
        await _tokens.ValidateTokenAsync(token, Parameters(_key));
        _clock.Advance(TimeSpan.FromMinutes(11)); // past the token's expiry by the injected clock

        await _tokens.ValidateTokenAsync(token, Parameters(_key));
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task A_remembered_token_is_checked_again_when_its_key_is_no_longer_trusted()
    {
        var token = Token(_key);
        await _tokens.ValidateTokenAsync(token, Parameters(_key));
        var replaced = new SymmetricSecurityKey(new byte[32].Select(_ => (byte)1).ToArray()) { KeyId = "k2" };

        var result = await _tokens.ValidateTokenAsync(token, Parameters(replaced));
        Assert.False(result.IsValid);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task A_token_that_fails_is_never_remembered()
    {
        var other = new SymmetricSecurityKey(new byte[32].Select(_ => (byte)2).ToArray()) { KeyId = "k1" };
        var token = Token(other);
        Assert.False((await _tokens.ValidateTokenAsync(token, Parameters(_key))).IsValid);
        Assert.False((await _tokens.ValidateTokenAsync(token, Parameters(_key))).IsValid);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task With_capacity_zero_every_request_is_checked()
    {
        using var off = new ValidatedTokens(_inner, _clock, capacity: 0);
        var token = Token(_key);
        await off.ValidateTokenAsync(token, Parameters(_key));
        await off.ValidateTokenAsync(token, Parameters(_key));
        Assert.Equal(2, _inner.Calls);
    }

    private string Token(SecurityKey key)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "oversight",
            Audience = "oversight-api",
            Subject = new ClaimsIdentity([new Claim("sub", "inspector-7"), new Claim("role", "Inspector"), new Claim("jti", Guid.NewGuid().ToString())]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    private static TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuer = "oversight",
        ValidAudience = "oversight-api",
        IssuerSigningKey = key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
    };

    /// <summary>The real handler, counting the validations it is asked for.</summary>
    private sealed class CountingHandler : JsonWebTokenHandler
    {
        private int _calls;
        public int Calls => _calls;

        public CountingHandler() => MapInboundClaims = false;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _calls);
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }
}
