using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Reading;
using Oversight.Persistence.Tests.Support;
using static Marten.Services.Json.Transformations.SystemTextJson.JsonTransformations;

namespace Oversight.Persistence.Tests.Reading;

public sealed record PersonNamedV1(string Name);
public sealed record PersonNamedV2(string GivenName, string FamilyName, string Source);

/// <summary>
/// A changed event shape on Marten in our configuration: the new shape gets a new stored name (<c>PersonNamed.v2</c>) and
/// Marten's upcaster reads rows stored under the old name in the new shape. Nothing stored is rewritten, so the chain still verifies.
/// </summary>
public sealed class UpcastingTests(MartenFixture fixture) : IClassFixture<MartenFixture>
{
    [Fact]
    public async Task An_event_stored_in_its_first_shape_is_read_in_the_second_and_the_chain_still_verifies()
    {
        var stream = $"person-{Guid.CreateVersion7()}";
        var on = new DateOnly(2026, 3, 1);
        await using (var v1 = fixture.Create(options => options.Events.MapEventType<PersonNamedV1>("PersonNamed.v1")))
        await using (var session = v1.LightweightSession())
        {
            session.AppendChained(stream, ChainHead.Empty, [new PendingEvent(new PersonNamedV1("Hanako Yamada"), on)], MartenFixture.Inspector, fixture.Clock.GetUtcNow());
            await session.SaveChangesAsync();
        }

        await using var v2 = fixture.Create(options =>
        {
            options.Events.MapEventType<PersonNamedV2>("PersonNamed.v2");
            options.Events.Upcast<PersonNamedV2>("PersonNamed.v1", Upcast(json =>
            {
                var parts = json.RootElement.GetProperty("name").GetString()!.Split(' ', 2);
                return new PersonNamedV2(parts[0], parts[1], "upcast from v1");
            }));
        });
        await using (var session = v2.LightweightSession())
        {
            var head = ChainedAppends.HeadOf(await session.Events.FetchStreamAsync(stream));
            session.AppendChained(stream, head, [new PendingEvent(new PersonNamedV2("Taro", "Suzuki", "typed"), on)], MartenFixture.Inspector, fixture.Clock.GetUtcNow());
            await session.SaveChangesAsync();
        }

        await using var query = v2.QuerySession();
        var events = await query.Events.FetchStreamAsync(stream);
        Assert.Equal([new PersonNamedV2("Hanako", "Yamada", "upcast from v1"), new PersonNamedV2("Taro", "Suzuki", "typed")], events.Select(e => e.Data));
        Assert.Equal(["PersonNamed.v1", "PersonNamed.v2"], await fixture.QueryAsync($"SELECT type FROM {{schema}}.mt_events WHERE stream_id = '{stream}' ORDER BY version"));
        var (names, _) = await EventReader.FoldAsync(query, stream, "", (s, e) => s + ((PersonNamedV2)e).GivenName + ";");
        Assert.Equal("Hanako;Taro;", names);
        Assert.True((await fixture.Verifier.VerifyStreamAsync(stream)).IsValid);
    }
}
