using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Oversight.Domain.Inspections;
using Oversight.ReadModels.FollowUps;
using Wolverine;
using Wolverine.Runtime;

namespace Oversight.Api.Tests.Health;

/// <summary>Readiness counts Wolverine's dead letters against <c>Health:MaxDeadLetters</c> (degraded above it) and recovers once they are dealt with.</summary>
public sealed class DeadLetterReadinessTests
{
    [Fact]
    public async Task More_dead_letters_than_the_threshold_make_readiness_degraded_until_they_are_handled()
    {
        await using var api = new ApiFactory { Settings = new Dictionary<string, string> { ["Health:MaxDeadLetters"] = "1" } };
        await api.InitializeAsync();
        using var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        // Two follow-up messages Wolverine gave up on (as its retry policy does after the last attempt).
        var runtime = api.Services.GetRequiredService<IWolverineRuntime>();
        var letters = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            var envelope = new Envelope(new TraffickingIndicatorRecorded(Guid.NewGuid(), FindingCategory.UnpaidWages, $"inspection-{Guid.NewGuid()}"))
            {
                Destination = new Uri("local://follow-ups"),
            };
            envelope.Data = runtime.Options.DefaultSerializer.Write(envelope);
            await runtime.Storage.Inbox.MoveToDeadLetterStorageAsync(envelope, new InvalidOperationException("the referral service refused it"));
            letters.Add(envelope.Id);
        }

        // Degraded, still serving (every node counts the same table: failing them all would stop what still works).
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using (var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Degraded", body.RootElement.GetProperty("status").GetString());
            var check = body.RootElement.GetProperty("checks").GetProperty("dead-letters");
            Assert.Equal("Degraded", check.GetProperty("status").GetString());
            Assert.Contains("2 dead letters, more than Health:MaxDeadLetters (1)", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        // Handled (here discarded, as an operator may after deciding): healthy again, without a restart.
        await runtime.Storage.DeadLetters.DiscardAsync(new Wolverine.Persistence.Durability.DeadLetterManagement.DeadLetterEnvelopeQuery([letters[0]]), CancellationToken.None);
        using (var body = JsonDocument.Parse(await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync()))
            Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }
}
