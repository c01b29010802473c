namespace Oversight.Api.Tests.Support;

/// <summary>
/// Everything the write endpoints address, built through the API itself: two General supervising organizations, an
/// implementing organization with a No.1 plan, a sending organization with a MOC report, a scheduled inspection and a
/// started one with a finding (both of the implementing organization), an open and a reported correction order.
/// Every valid body of the catalogue succeeds once against a fresh world.
/// </summary>
public sealed record World(
    Guid SupervisingOrganization, Guid OtherSupervisingOrganization, Guid ImplementingOrganization, string Plan,
    Guid SendingOrganization, Guid MocReport, Guid ScheduledInspection, Guid Inspection, Guid Finding, Guid OpenOrder, Guid ReportedOrder, string MocCountry)
{
    /// <summary>Stand-in ids for describing bodies (field names and kinds) without a database.</summary>
    public static World Placeholder { get; } = new(Guid.Empty, Guid.Empty, Guid.Empty, "認0000000001", Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty,
        Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty.ToString());

    public static async Task<World> CreateAsync(ApiFactory api)
    {
        var so = await api.RegisterSupervisingOrganizationAsync();
        var other = await api.RegisterSupervisingOrganizationAsync();
        var sending = await api.RegisterSendingOrganizationAsync();
        var report = await api.ReportUnderMocAsync(sending);
        var io = await api.RegisterImplementingOrganizationAsync(so);
        var plan = await api.AccreditPlanAsync(io, sendingOrganizationId: sending);
        var scheduled = await api.ScheduleInspectionAsync(io, start: false);
        var inspection = await api.ScheduleInspectionAsync(io);
        var finding = await api.RecordFindingAsync(inspection);
        var open = await api.IssueCorrectionOrderAsync(io, inspection, [finding]);
        var reported = await api.IssueCorrectionOrderAsync(io, inspection, [finding]);
        await api.ReportCorrectionAsync(reported);
        var moc = TestData.CountryWithoutMoc();
        using var officer = api.As(Oversight.Security.Roles.Officer);
        await (await officer.PostJsonAsync("/api/v1/moc-agreements", new { country = moc, signedOn = "2024-01-18", inForceFrom = "2024-01-18" }))
            .Expect(System.Net.HttpStatusCode.Created);
        return new World(so, other, io, plan, sending, report, scheduled, inspection, finding, open, reported, moc);
    }
}

/// <summary>A test host with one world built in it, shared by the tests of a class.</summary>
public sealed class WorldFixture : IAsyncLifetime
{
    public ApiFactory Api { get; } = new();

    public World World { get; private set; } = World.Placeholder;

    public async ValueTask InitializeAsync()
    {
        await Api.InitializeAsync();
        World = await World.CreateAsync(Api);
    }

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}
