using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Oversight.Cli.Tests.Support;
using Oversight.ReadModels.FollowUps;
using Oversight.ReadModels.Storage;
using Wolverine;

namespace Oversight.Cli.Tests.FollowUps;

/// <summary>A message for the probe handler below; the test decides whether it fails.</summary>
public sealed record Probe(Guid Id);

/// <summary>A handler that fails while <see cref="Failing"/> is set, noting every attempt.</summary>
public static class ProbeHandler
{
    public static volatile bool Failing = true;
    public static readonly ConcurrentQueue<(int Attempt, TimeSpan At, bool Succeeded)> Attempts = new();
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Handle(Probe probe, Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        Attempts.Enqueue((envelope.Attempts, Clock.Elapsed, !Failing));
        if (Failing) throw new InvalidOperationException($"probe {probe.Id} fails until the fix");
    }
}

/// <summary>
/// Follow-up failures on Wolverine in the service's configuration: a failing handler is retried with the growing pauses of
/// <see cref="FollowUpRetries"/>, then dead-lettered; <c>oversight dead-letters list</c> shows it with its exception and, after
/// the fix, <c>oversight dead-letters replay</c> hands it back to the running node, which handles it once.
/// </summary>
public sealed class DeadLetterTests(PostgresServer server)
{
    [Fact]
    public async Task A_failing_handler_is_retried_with_growing_pauses_dead_lettered_and_replayed_from_the_CLI_after_the_fix()
    {
        var schema = $"dlq_{Guid.NewGuid():N}"[..20];
        var migrate = await CliProcess.RunAsync(server.ConnectionString, schema, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Error);

        using var node = await StartNodeAsync(schema);
        var probe = new Probe(Guid.NewGuid());
        await node.Services.GetRequiredService<IMessageBus>().PublishAsync(probe);

        var listed = await EventuallyAsync(async () => await CliProcess.RunAsync(server.ConnectionString, schema, "dead-letters", "list", "--format", "csv"),
            r => r.Out.Contains(probe.Id.ToString(), StringComparison.Ordinal));
        Assert.Contains(typeof(Probe).FullName!, listed.Out, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), listed.Out, StringComparison.Ordinal);
        var attempts = ProbeHandler.Attempts.ToArray();
        Assert.Equal([1, 2, 3, 4], attempts.Select(a => a.Attempt));
        Assert.All(attempts, a => Assert.False(a.Succeeded));
        for (var i = 0; i < FollowUpRetries.Cooldowns.Length; i++) // each pause at least as long as configured
            Assert.True(attempts[i + 1].At - attempts[i].At >= FollowUpRetries.Cooldowns[i] * 0.9, $"pause {i + 1}: {attempts[i + 1].At - attempts[i].At}");

        ProbeHandler.Failing = false;
        var replay = await CliProcess.RunAsync(server.ConnectionString, schema, "dead-letters", "replay", "--all");
        Assert.True(replay.ExitCode == 0, replay.Error);
        Assert.Contains("1 dead letter(s)", replay.Out, StringComparison.Ordinal);

        await EventuallyAsync(() => Task.FromResult(ProbeHandler.Attempts.Count(a => a.Succeeded)), n => n > 0);
        var after = await CliProcess.RunAsync(server.ConnectionString, schema, "dead-letters", "list", "--format", "csv");
        Assert.DoesNotContain(probe.Id.ToString(), after.Out, StringComparison.Ordinal);
        await Task.Delay(1000);
        Assert.Equal(1, ProbeHandler.Attempts.Count(a => a.Succeeded));
    }

    /// <summary>A node composed as the API composes it (storage, follow-ups, retries), plus the probe handler.</summary>
    private async Task<IHost> StartNodeAsync(string schema)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Runtime:EventSchema"] = schema;
        builder.Configuration["Runtime:ReadModelSchema"] = $"{schema}_rm";
        builder.Configuration["Runtime:ApplySchemaAtStart"] = "false"; // migrate did it
        builder.Services.AddOversightStorage(server.ConnectionString, builder.Configuration);
        builder.UseWolverine(options =>
        {
            options.UseRuntimeCompilation();
            options.AddFollowUps(buildStorage: false);
            options.Discovery.IncludeType(typeof(ProbeHandler));
            options.Durability.Mode = DurabilityMode.Solo;
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            await Task.Delay(250, timeout.Token);
        }
    }
}
