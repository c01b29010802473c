using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Oversight.Persistence.Integrity;
using Spectre.Console;

namespace Oversight.Cli.Commands;

/// <summary><c>oversight verify --stream S | --all</c>: re-derive hash chains; exit code 1 when any event fails.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var stream = new Option<string?>("--stream") { Description = "One stream id, e.g. so-<uuid>." };
        var all = new Option<bool>("--all") { Description = "Every stream." };
        var command = new Command("verify", "Prove that no event was altered: re-derive every hash chain and name the first event that fails.") { stream, all };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(stream) is null == !parse.GetValue(all))
            {
                await Console.Error.WriteLineAsync("Give either --stream <id> or --all.");
                return 2;
            }
            await using var services = CliServices.Build(CliConfiguration.Load());
            var verifier = services.GetRequiredService<ChainVerifier>();
            var failures = new List<ChainVerification>();
            long streams = 0, events = 0;
            if (parse.GetValue(stream) is { } id)
            {
                var result = await verifier.VerifyStreamAsync(id, ct);
                (streams, events) = (1, result.EventsChecked);
                if (!result.IsValid) failures.Add(result);
            }
            else
            {
                await AnsiConsole.Status().StartAsync("Verifying…", async status =>
                {
                    await foreach (var result in verifier.VerifyAllAsync(ct))
                    {
                        streams++;
                        events += result.EventsChecked;
                        if (!result.IsValid) failures.Add(result);
                        if (streams % 1000 == 0) status.Status($"Verified {streams:N0} streams, {events:N0} events…");
                    }
                });
            }
            foreach (var f in failures)
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(f.StreamId)}[/]: first invalid version {f.FirstInvalidVersion}, position {f.FirstInvalidSequence}, event {f.FirstInvalidEventId}: {Markup.Escape(f.Reason ?? "")}");
            AnsiConsole.MarkupLine(failures.Count == 0
                ? $"[green]{streams:N0} stream(s), {events:N0} event(s): every hash chain holds.[/]"
                : $"[red]{failures.Count} of {streams:N0} stream(s) fail verification.[/]");
            return failures.Count == 0 ? 0 : 1;
        });
        return command;
    }
}
