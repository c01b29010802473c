using System.Diagnostics;

namespace Oversight.Runtime.Tests.Processes;

/// <summary>A runtime node in a separate process (the TestHost), which a test can kill with SIGKILL.</summary>
internal sealed class TestHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private TestHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_lines) _lines.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_lines) _lines.Add("stderr: " + e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static async Task<TestHostProcess> StartAsync(string connectionString, string schema, string node, int delayMs)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "Oversight.Runtime.TestHost.dll");
        Assert.True(File.Exists(host), $"test host not built beside the tests: {host}");
        var start = new ProcessStartInfo("dotnet", [host])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            Environment =
            {
                ["TESTHOST_CONNECTION"] = connectionString,
                ["TESTHOST_SCHEMA"] = schema,
                ["TESTHOST_NODE"] = node,
                ["TESTHOST_DELAY_MS"] = delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        var process = new TestHostProcess(Process.Start(start)!);
        await process.WaitForLineAsync("ready");
        return process;
    }

    public bool HasExited => _process.HasExited;

    public async Task WaitForLineAsync(string line, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            lock (_lines) if (_lines.Contains(line)) return;
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                string output;
                lock (_lines) output = string.Join('\n', _lines);
                Assert.Fail($"'{line}' not printed (exited: {_process.HasExited}). Output:\n{output}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, open transactions are cut off mid-flight.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }
}
