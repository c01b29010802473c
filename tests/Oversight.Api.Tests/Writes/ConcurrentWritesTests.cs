using Oversight.Api.Writes;
using Oversight.Domain.Common;

namespace Oversight.Api.Tests.Writes;

public sealed class ConcurrentWritesTests
{
    [Fact]
    public async Task A_stream_that_keeps_moving_is_tried_sixteen_times_then_given_up()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<JasperFx.ConcurrencyException>(async () => await ConcurrentWrites.Retry.ExecuteAsync(_ =>
        {
            attempts++;
            throw new JasperFx.ConcurrencyException(typeof(object), Guid.NewGuid());
        }, TestContext.Current.CancellationToken));
        Assert.Equal(16, attempts);
    }

    [Fact]
    public async Task A_refusal_is_not_retried()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<RuleViolation>(async () => await ConcurrentWrites.Retry.ExecuteAsync(_ =>
        {
            attempts++;
            throw new RuleViolation("closed", "The inspection is closed.");
        }, TestContext.Current.CancellationToken));
        Assert.Equal(1, attempts);
    }
}
