namespace Oversight.Cli.Seeding;

/// <summary>One generated event: the payload (a registered domain event), its business date and its id.</summary>
public sealed record SeedEvent(object Data, DateOnly OccurredOn, Guid EventId);

/// <summary>One generated stream, its events in business-date order.</summary>
public sealed record SeedStream(string StreamId, IReadOnlyList<SeedEvent> Events);

/// <summary>A number the write path keeps unique across streams (<c>api_unique_numbers</c>).</summary>
public sealed record UniqueNumberClaim(string Kind, string Value, string StreamId)
{
    public const string PermitNumber = "Permit number";
    public const string PlanNumber = "Plan accreditation number";
}

/// <summary>Everything a seed writes: the streams in the order they are appended, and the numbers to claim.</summary>
public sealed class SeedDataset(IReadOnlyList<SeedStream> streams, IReadOnlyList<UniqueNumberClaim> uniqueNumbers)
{
    public IReadOnlyList<SeedStream> Streams { get; } = streams;
    public IReadOnlyList<UniqueNumberClaim> UniqueNumbers { get; } = uniqueNumbers;
    public long EventCount { get; } = streams.Sum(s => (long)s.Events.Count);
}
