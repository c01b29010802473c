namespace Oversight.Api.Writes;

/// <summary>The body of every successful write: the resource written, its stream version (also the ETag) and the global position of the last event.</summary>
public sealed record WriteResponse(Guid Id, long Version, long Position);

/// <summary>What a command tells the executor: the stream whose version is the ETag, the resource id and where to find it.</summary>
internal sealed record WriteOutcome(string TargetStream, Guid Id, string Location, bool Created);
