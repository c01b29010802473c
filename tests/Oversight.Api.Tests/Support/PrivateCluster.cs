using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Oversight.Api.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of one test's own (infra/postgres.sh on a free loopback port and a temporary directory), so the test
/// can stop and start the real server without disturbing the server the other tests share.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _script = Path.Combine(RepositoryRoot(), "infra", "postgres.sh");
    private readonly string _directory = Directory.CreateTempSubdirectory("oversight-pg-").FullName;
    private readonly int _port = FreePort();

    public string ConnectionString { get; private set; } = "";

    public static async Task<PrivateCluster> StartAsync()
    {
        var cluster = new PrivateCluster();
        cluster.ConnectionString = (await cluster.RunAsync("start")).Trim();
        return cluster;
    }

    public Task StartAgainAsync() => RunAsync("start");

    /// <summary>A fast shutdown: open transactions are rolled back and every connection is closed by the server.</summary>
    public Task StopAsync() => RunAsync("stop");

    private async Task<string> RunAsync(string verb)
    {
        var start = new ProcessStartInfo("bash", [_script, verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["OVERSIGHT_PG_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["OVERSIGHT_PG_DIR"] = _directory },
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"postgres.sh {verb} exited {process.ExitCode}: {await error}");
        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        try { await StopAsync(); }
        finally { Directory.Delete(_directory, recursive: true); }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "infra", "postgres.sh"))) return directory.FullName;
        throw new InvalidOperationException("infra/postgres.sh not found above " + AppContext.BaseDirectory);
    }
}
