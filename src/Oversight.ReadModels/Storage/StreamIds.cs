namespace Oversight.ReadModels.Storage;

/// <summary>Stream ids are <c>{kind}-{uuid}</c> (e.g. <c>so-…</c>, <c>io-…</c>, <c>inspection-…</c>); projections recover the id from them.</summary>
public static class StreamIds
{
    public static Guid IdOf(string streamId)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        return streamId.Length >= 36 && Guid.TryParse(streamId.AsSpan(streamId.Length - 36), out var id)
            ? id
            : throw new FormatException($"Stream id '{streamId}' does not end with a UUID.");
    }

    public static bool HasKind(string streamId, string kind) =>
        streamId.Length == kind.Length + 37 && streamId.StartsWith(kind, StringComparison.Ordinal) && streamId[kind.Length] == '-';
}
