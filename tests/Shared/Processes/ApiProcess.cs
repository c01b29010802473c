using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Oversight.Security;

namespace Oversight.Testing;

/// <summary>
/// The API as operators run it: its own process (Release build of src/Oversight.Api), Kestrel on a free
/// loopback port, a signing key shared by the nodes of one test or benchmark. Used by the benchmarks and the
/// operations tests (several nodes, SIGKILL).
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TokenOptions _tokens;

    private ApiProcess(Process process, Uri baseAddress, TokenOptions tokens, string connectionString)
    {
        _process = process;
        BaseAddress = baseAddress;
        _tokens = tokens;
        ConnectionString = connectionString;
    }

    public Uri BaseAddress { get; }

    /// <summary>The database this node was started on.</summary>
    public string ConnectionString { get; }

    public string Token(string role, string? subject = null) =>
        new TokenIssuer(_tokens, TimeProvider.System).Create(subject ?? $"test-{role}", role, TimeSpan.FromHours(1));

    public int ProcessId => _process.Id;

    /// <summary>SIGKILL: no shutdown hooks, no flushing, connections dropped as in a crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// Starts a node; nodes started with the same <paramref name="tokens"/> accept each other's tokens. <paramref name="dll"/>: another
    /// build of the API (e.g. an earlier commit, for a side-by-side benchmark); this repository's Release build by default.
    /// </summary>
    public static async Task<ApiProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? environment = null, TokenOptions? tokens = null,
        string? dll = null)
    {
        dll ??= Path.Combine(RepoRoot(), "src", "Oversight.Api", "bin", "Release", "net10.0", "Oversight.Api.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the solution in Release first (dotnet build -c Release).", dll);
        var port = FreePort();
        tokens ??= NewTokens();
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = ContentRoot(dll),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__Oversight"] = connectionString,
                ["Auth__SigningKey"] = tokens.SigningKey,
                ["Logging__LogLevel__Default"] = "Warning",
                // A fresh database per test or benchmark: the process migrates it (in Production the API changes no schema by default).
                ["Runtime__ApplySchemaAtStart"] = "true",
                // Load generators and multi-node tests write from one caller far above a person's allowance.
                ["Http__WritePermitsPerMinute"] = "0",
            },
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the API process.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[api] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}"), tokens, connectionString);
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) throw new InvalidOperationException($"The API process exited with code {process.ExitCode}.");
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return api;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        await api.DisposeAsync();
        throw new TimeoutException("The API did not become ready within 60 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    public static TokenOptions NewTokens() => new() { SigningKey = $"process-signing-key-{Guid.NewGuid():N}" };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The API's project directory (its wwwroot and settings, as with <c>dotnet run --project</c>), else the dll's own. Never the
    /// caller's working directory: the host watches its content root for changed settings, and the repository root holds the
    /// test database's files, whose every write then woke the API's file watcher (≈2 % of its CPU under the write load).
    /// </summary>
    private static string ContentRoot(string dll)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(dll))!;
        var project = Path.GetFullPath(Path.Combine(directory, "..", "..", ".."));
        return File.Exists(Path.Combine(project, "Oversight.Api.csproj")) ? project : directory;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OversightBackend.sln"))) return dir.FullName;
        throw new InvalidOperationException("OversightBackend.sln not found above the benchmark binary.");
    }
}
