using System.Text.Json.Serialization;
using Oversight.Persistence.Events;

namespace Oversight.Benchmarks;

/// <summary>A payload of about 420 bytes of JSON, the size the design's Marten figures were measured with.</summary>
public sealed record SomethingRecorded(
    Guid SubjectId, string Category, string Severity, string LegalBasis, string Summary,
    int PeopleAffected, decimal Amount, DateOnly Date, IReadOnlyList<string> Tags);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SomethingRecorded))]
public sealed partial class BenchJson : JsonSerializerContext;

public static class BenchEvents
{
    public const string TypeName = "SomethingRecorded.v1";

    public static SomethingRecorded Payload(int i) => new(
        Guid.CreateVersion7(), "unpaid-wages", "high", "Art.16(1)(iv)",
        $"Record {i}: wages for overtime were not paid in full for three months; employer promised correction by the end of the quarter.",
        i % 17, 123456.78m + i, new DateOnly(2022, 4, 1).AddDays(i % 365), ["wages", "overtime", "follow-up", "joint-inspection"]);

    public static PendingEvent Event(int i) => new(Payload(i), new DateOnly(2022, 4, 1).AddDays(i % 365));
}
