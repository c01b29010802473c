namespace Oversight.Api.Tests.Support;

/// <summary>
/// Tests that load the machine on their own (the national seed at scale 1.0, several API processes): they run by
/// themselves after the parallel ones, so their load does not push other tests' bounded waits past their limits.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyTests
{
    public const string Name = "heavy";
}
