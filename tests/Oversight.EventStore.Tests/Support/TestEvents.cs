using System.Text.Json.Serialization;
using Oversight.EventStore.Serialization;

namespace Oversight.EventStore.Tests.Support;

public sealed record ItemAdded(string Name, decimal Amount, IReadOnlyList<string> Tags);
public sealed record ItemRemoved(string Name, string Reason);
public sealed record Unregistered(int Value);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ItemAdded))]
[JsonSerializable(typeof(ItemRemoved))]
[JsonSerializable(typeof(Unregistered))]
public sealed partial class TestEventsJson : JsonSerializerContext;

public static class TestEvents
{
    public static EventTypeRegistry Registry() => new EventTypeRegistry()
        .Register("ItemAdded.v1", TestEventsJson.Default.ItemAdded)
        .Register("ItemRemoved.v1", TestEventsJson.Default.ItemRemoved);

    public static EventData Added(string name = "a", decimal amount = 1.50m, DateOnly? on = null) =>
        new(new ItemAdded(name, amount, ["x", "日本語"]), on ?? new DateOnly(2026, 3, 31));

    public static EventData[] Many(int count, string prefix = "item") =>
        Enumerable.Range(1, count).Select(i => Added($"{prefix}-{i}", i)).ToArray();
}
