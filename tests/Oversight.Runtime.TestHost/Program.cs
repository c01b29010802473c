using Oversight.Runtime.TestHost;

// A runtime node in its own process, for tests that kill it with SIGKILL. Configured by environment:
// TESTHOST_CONNECTION, TESTHOST_SCHEMA, TESTHOST_NODE, TESTHOST_DELAY_MS (per event and per message).
// Prints "ready", then "leading <projection>" whenever it becomes a leader; runs until killed or stdin closes.
var connection = Environment.GetEnvironmentVariable("TESTHOST_CONNECTION") ?? throw new InvalidOperationException("TESTHOST_CONNECTION");
var schema = Environment.GetEnvironmentVariable("TESTHOST_SCHEMA") ?? throw new InvalidOperationException("TESTHOST_SCHEMA");
var delay = TimeSpan.FromMilliseconds(int.Parse(Environment.GetEnvironmentVariable("TESTHOST_DELAY_MS") ?? "0", System.Globalization.CultureInfo.InvariantCulture));
var settings = new TestNodeSettings
{
    NodeId = Environment.GetEnvironmentVariable("TESTHOST_NODE") ?? $"process-{Environment.ProcessId}",
    DelayPerEvent = delay,
    DelayPerMessage = delay,
    ProjectionBatchSize = 100,
};

await using var node = await TestNode.CreateAsync(connection, schema, settings, TimeProvider.System);
await node.Runtime.StartAsync();
Console.WriteLine("ready");

var stdinClosed = Task.Run(() => Console.In.ReadToEnd());
var reported = new HashSet<string>();
while (!stdinClosed.IsCompleted)
{
    foreach (var projection in node.Daemon.Leading)
        if (reported.Add(projection)) Console.WriteLine($"leading {projection}");
    await Task.WhenAny(stdinClosed, Task.Delay(50));
}
