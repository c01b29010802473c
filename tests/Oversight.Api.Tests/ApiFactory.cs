using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oversight.Api.Tests.Support;
using Npgsql;
using Oversight.Security;

namespace Oversight.Api.Tests;

/// <summary>The real pipeline (auth, problem details, write path, runtime) on the private PostgreSQL, in a database of its own.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The server this host's database is created on: the shared test server unless a test brings its own.</summary>
    public string ServerConnectionString { get; init; } =
        Environment.GetEnvironmentVariable("ConnectionStrings__Oversight")
        ?? "Host=127.0.0.1;Port=55432;Username=oversight;Password=oversight;Database=oversight";

    /// <summary>This host's database: its own unless a test starts a second node on another host's (<see cref="OwnsDatabase"/> false).</summary>
    public string Database { get; init; } = $"oversight_api_{Guid.NewGuid():N}"[..30];

    /// <summary>Whether this host creates its database on start and drops it on dispose.</summary>
    public bool OwnsDatabase { get; init; } = true;

    /// <summary>Configuration this host adds to the test defaults (e.g. <c>Runtime:RunProjections</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Services this host registers after the application's (e.g. another build's read-model versions).</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    /// <summary>The key this test host signs and validates with (Testing has no development fallback).</summary>
    public TokenOptions Tokens { get; } = new() { SigningKey = $"test-signing-key-{Guid.NewGuid():N}" };

    /// <summary>What the host logged at Error and above.</summary>
    public ErrorLog Errors { get; } = new();

    /// <summary>
    /// The host's <see cref="TimeProvider"/> (write path, scheduled messages, workers), with a short runtime poll interval so a test can
    /// move time and see scheduled checks run. Business "today" is fixed at 2026-04-01 (Tokyo) unless a test sets another: after every
    /// date the tests record as past (a record of the past is not dated after today), and the same in every run.
    /// </summary>
    public ManualClock Clock { get; init; } = new(DefaultToday);

    public static readonly DateTimeOffset DefaultToday = new(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(9));

    /// <summary>
    /// Whether this node claims due deadlines (<c>Runtime:RunWorkers</c>). Off unless a test is about them: on the default clock
    /// every deadline of the 2022–2024 dates the tests use has passed, and the checks would append to the streams under test.
    /// </summary>
    public bool RunDeadlines { get; init; }

    // Program ends with RunJasperFxCommands (Marten's and Wolverine's command line); under WebApplicationFactory the host must
    // then be started by JasperFx itself.
    static ApiFactory() => JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;

    public string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = Database }.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        if (OwnsDatabase)
        {
            await using var admin = new NpgsqlConnection(ServerConnectionString);
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{Database}\"", admin);
            await command.ExecuteNonQueryAsync();
        }
        using var client = CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await client.GetAsync("/health/ready", timeout.Token)).StatusCode != HttpStatusCode.OK) await Task.Delay(50, timeout.Token);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Oversight", ConnectionString);
        // With an identity provider no shared key may be configured (the host refuses to start).
        if (!Settings.ContainsKey("Auth:Authority")) builder.UseSetting("Auth:SigningKey", Tokens.SigningKey);
        builder.UseSetting("OpenApi:Enabled", "true");
        builder.ConfigureLogging(logging => logging.AddProvider(Errors));
        builder.UseSetting("Runtime:ApplySchemaAtStart", "true"); // each test's own schema (outside Development the API changes none)
        builder.UseSetting("Runtime:PollInterval", "00:00:00.100");
        builder.UseSetting("Runtime:RunWorkers", RunDeadlines ? "true" : "false");
        // One caller ("tester") writes far above a person's allowance; the tests about limits set their own.
        builder.UseSetting("Http:WritePermitsPerMinute", "0");
        builder.UseSetting("Http:AnonymousPermitsPerMinute", "0");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            ExtraServices?.Invoke(services);
        });
    }

    public string Token(string role, string subject = "tester", TimeSpan? lifetime = null) =>
        new TokenIssuer(Tokens, TimeProvider.System).Create(subject, role, lifetime ?? TimeSpan.FromHours(1));

    /// <summary>A client carrying a token for <paramref name="role"/>.</summary>
    public HttpClient As(string role, string subject = "tester")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, subject));
        return client;
    }

    /// <summary>
    /// Events written on behalf of callers. The service's own follow-up work (referrals, deadline checks: actor role
    /// <c>system</c>) runs after commit in the handler runtime and is not part of any request's write.
    /// </summary>
    public async Task<long> EventCountAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM oversight.mt_events WHERE headers->>'actorRole' IS DISTINCT FROM 'system'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Stops this node (gracefully, as in a deployment) and keeps the database for the other nodes on it.</summary>
    public ValueTask StopNodeAsync() => base.DisposeAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (!OwnsDatabase) return;
        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", admin);
        await command.ExecuteNonQueryAsync();
    }
}
