using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Oversight.EventStore.Serialization;
using Oversight.EventStore.Tests.Support;

namespace Oversight.EventStore.Tests.Reading;

public sealed record PersonNamedV1(string Name);
public sealed record PersonNamedV2(string GivenName, string FamilyName, string Source);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PersonNamedV1))]
[JsonSerializable(typeof(PersonNamedV2))]
public sealed partial class UpcastingJson : JsonSerializerContext;

public sealed class UpcastingTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    private static EventTypeRegistry Version2() => new EventTypeRegistry()
        .Register("PersonNamed", UpcastingJson.Default.PersonNamedV2, schemaVersion: 2)
        .Upcast("PersonNamed", fromVersion: 1, v1 =>
        {
            var parts = v1["name"]!.GetValue<string>().Split(' ', 2);
            return new JsonObject { ["givenName"] = parts[0], ["familyName"] = parts[1], ["source"] = "upcast from v1" };
        });

    [Fact]
    public async Task An_event_stored_at_schema_version_1_is_read_in_its_version_2_shape()
    {
        var stream = $"upcast-{Guid.NewGuid():N}";
        var v1Store = fixture.CreateStore(new EventTypeRegistry().Register("PersonNamed", UpcastingJson.Default.PersonNamedV1, schemaVersion: 1));
        await v1Store.AppendAsync(stream, ExpectedVersion.NoStream, [new EventData(new PersonNamedV1("Hanako Yamada"))]);

        var v2Store = fixture.CreateStore(Version2());
        await v2Store.AppendAsync(stream, ExpectedVersion.Exactly(1), [new EventData(new PersonNamedV2("Taro", "Suzuki", "typed"))]);
        var events = await v2Store.ReadStreamAsync(stream);

        Assert.Equal(new PersonNamedV2("Hanako", "Yamada", "upcast from v1"), events[0].Data);
        Assert.Equal(1, events[0].SchemaVersion);
        Assert.Equal(new PersonNamedV2("Taro", "Suzuki", "typed"), events[1].Data);
        Assert.Equal(2, events[1].SchemaVersion);
        // Nothing was rewritten: the stored chain still verifies.
        Assert.True((await v2Store.VerifyStreamAsync(stream)).IsValid);
    }

    [Fact]
    public async Task A_stored_version_newer_than_the_registry_or_without_an_upcaster_is_a_clear_error()
    {
        var stream = $"upcast-new-{Guid.NewGuid():N}";
        await fixture.CreateStore(Version2()).AppendAsync(stream, ExpectedVersion.NoStream, [new EventData(new PersonNamedV2("A", "B", "c"))]);

        var old = fixture.CreateStore(new EventTypeRegistry().Register("PersonNamed", UpcastingJson.Default.PersonNamedV1, schemaVersion: 1));
        var noUpcaster = fixture.CreateStore(new EventTypeRegistry().Register("PersonNamed", UpcastingJson.Default.PersonNamedV2, schemaVersion: 3));
        var unknown = fixture.CreateStore(TestEvents.Registry());

        await Assert.ThrowsAsync<UnknownEventTypeException>(() => old.ReadStreamAsync(stream));
        await Assert.ThrowsAsync<UnknownEventTypeException>(() => noUpcaster.ReadStreamAsync(stream));
        await Assert.ThrowsAsync<UnknownEventTypeException>(() => unknown.ReadStreamAsync(stream));
    }
}
