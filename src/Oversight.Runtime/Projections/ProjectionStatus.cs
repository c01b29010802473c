using Oversight.EventStore;

namespace Oversight.Runtime.Projections;

/// <summary>Where a projection stands: its checkpoint against the head of the store, and its health.</summary>
public sealed record ProjectionStatus(
    string Name, GlobalPosition Checkpoint, long HeadSequence, long LagEvents, double LagSeconds,
    string State, string? Leader, long OpenDeadLetters);

public sealed record RebuildProgress(string Projection, long EventsApplied, long HeadSequence, long LastSequence);

public sealed record DeadLetterReplay(string Projection, int Replayed, int StillFailing);
