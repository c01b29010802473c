using System.Text.Json.Serialization;
using Oversight.EventStore;
using Oversight.EventStore.Serialization;

namespace Oversight.Runtime.TestHost;

public sealed record Deposited(string Account, decimal Amount);
public sealed record Withdrawn(string Account, decimal Amount);

/// <summary>A message a subscriber cascades for every deposit.</summary>
public sealed record Receipt(Guid EventId, string Account);

/// <summary>A reminder scheduled for later.</summary>
public sealed record Reminder(string Text);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Deposited))]
[JsonSerializable(typeof(Withdrawn))]
[JsonSerializable(typeof(Receipt))]
[JsonSerializable(typeof(Reminder))]
public sealed partial class TestModelJson : JsonSerializerContext;

public static class TestModel
{
    public static EventTypeRegistry Events() => new EventTypeRegistry()
        .Register("Deposited", TestModelJson.Default.Deposited)
        .Register("Withdrawn", TestModelJson.Default.Withdrawn);

    public static EventData Deposit(string account, decimal amount) => new(new Deposited(account, amount), new DateOnly(2026, 4, 1));
}
