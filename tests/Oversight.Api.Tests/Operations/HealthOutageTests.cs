using System.Net;
using System.Text.Json;
using Npgsql;
using Oversight.Api.Tests.Support;

namespace Oversight.Api.Tests.Operations;

/// <summary>Readiness follows the database: it goes false when PostgreSQL becomes unreachable and true again when it returns, without a restart.</summary>
public sealed class HealthOutageTests : IAsyncLifetime
{
    private readonly ProxiedApi _api = new();

    public ValueTask InitializeAsync() => _api.InitializeAsync();
    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task Ready_turns_false_while_the_database_is_unreachable_and_true_again_when_it_returns()
    {
        using var client = _api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        _api.Proxy.Cut();
        NpgsqlConnection.ClearAllPools();
        var down = await EventuallyAsync(client, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(down.Headers.RetryAfter?.Delta);
        using (var problem = JsonDocument.Parse(await down.Content.ReadAsStringAsync()))
        {
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Contains("database", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode); // alive all along

        _api.Proxy.Restore();
        await EventuallyAsync(client, HttpStatusCode.OK);
    }

    private static async Task<HttpResponseMessage> EventuallyAsync(HttpClient client, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var response = await client.GetAsync("/health/ready");
            if (response.StatusCode == status) return response;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"/health/ready stayed {(int)response.StatusCode}, expected {(int)status}.");
            await Task.Delay(100);
        }
    }

    /// <summary>An API host whose connection string goes through a <see cref="TcpProxy"/> to the test database.</summary>
    private sealed class ProxiedApi : IAsyncLifetime
    {
        private readonly ApiFactory _factory = new();
        private TcpProxy? _proxy;
        private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>? _host;

        public TcpProxy Proxy => _proxy!;

        public async ValueTask InitializeAsync()
        {
            await _factory.InitializeAsync(); // creates and migrates the database directly
            var direct = new NpgsqlConnectionStringBuilder(_factory.ConnectionString);
            _proxy = new TcpProxy(direct.Host!, direct.Port);
            var proxied = new NpgsqlConnectionStringBuilder(_factory.ConnectionString) { Host = "127.0.0.1", Port = _proxy.Port, Timeout = 3, Pooling = false };
            _host = _factory.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Oversight", proxied.ConnectionString));
            using var client = _host.CreateClient();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while ((await client.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline) await Task.Delay(100);
        }

        public HttpClient CreateClient() => _host!.CreateClient();

        public async ValueTask DisposeAsync()
        {
            if (_host is not null) await _host.DisposeAsync();
            if (_proxy is not null) await _proxy.DisposeAsync();
            await _factory.DisposeAsync();
        }
    }
}
