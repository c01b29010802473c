using Wolverine;
using Wolverine.ErrorHandling;

namespace Oversight.ReadModels.FollowUps;

/// <summary>
/// What happens when a follow-up handler throws (a lost connection, a conflict, a bug): it is tried again in place after
/// growing pauses, then moved to Wolverine's dead-letter table with its exception. Nothing is dropped: an operator lists
/// and replays dead letters with <c>oversight dead-letters</c> once the cause is fixed.
/// </summary>
public static class FollowUpRetries
{
    /// <summary>The pauses before the 2nd, 3rd and 4th attempts; after the 4th failure the message is dead-lettered.</summary>
    public static readonly TimeSpan[] Cooldowns = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];

    public static WolverineOptions RetryThenDeadLetter(this WolverineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Policies.OnAnyException().RetryWithCooldown(Cooldowns).Then.MoveToErrorQueue();
        return options;
    }
}
