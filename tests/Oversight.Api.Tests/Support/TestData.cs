using System.Globalization;
using System.Net;
using Oversight.Security;

namespace Oversight.Api.Tests.Support;

/// <summary>Valid, unique identifiers and the usual setup steps, so each test states only what it is about.</summary>
internal static class TestData
{
    private static long s_counter = Random.Shared.NextInt64(1_000_000_000, 8_000_000_000);

    /// <summary>A fresh corporate number with a correct check digit.</summary>
    public static string CorporateNumber()
    {
        var body = Interlocked.Increment(ref s_counter).ToString("000000000000", CultureInfo.InvariantCulture);
        var sum = 0;
        for (var n = 1; n <= 12; n++) sum += (body[12 - n] - '0') * (n % 2 == 1 ? 1 : 2);
        return (9 - sum % 9).ToString(CultureInfo.InvariantCulture) + body;
    }

    public static string PermitNumber() => "許" + (Interlocked.Increment(ref s_counter) % 10_000_000_000).ToString("0000000000", CultureInfo.InvariantCulture);

    public static string PlanNumber() => "認" + (Interlocked.Increment(ref s_counter) % 10_000_000_000).ToString("0000000000", CultureInfo.InvariantCulture);

    public static object SupervisingOrganization(string? corporateNumber = null, string category = "General", int fromYear = 2022) => new
    {
        permitNumber = PermitNumber(),
        corporateNumber = corporateNumber ?? CorporateNumber(),
        name = "Kanto Agricultural Cooperative",
        prefecture = "13",
        category,
        permitFrom = $"{fromYear}-04-01",
        permitTo = $"{fromYear + (category == "General" ? 5 : 3)}-03-31",
    };

    public static async Task<Guid> RegisterSupervisingOrganizationAsync(this ApiFactory api, string? corporateNumber = null, string category = "General")
    {
        using var officer = api.As(Roles.Officer);
        return (await (await officer.PostJsonAsync("/api/v1/supervising-organizations", SupervisingOrganization(corporateNumber, category))).Expect(HttpStatusCode.Created)).Id();
    }

    public static async Task<Guid> ScheduleInspectionAsync(this ApiFactory api, Guid organizationId, bool start = true)
    {
        using var inspector = api.As(Roles.Inspector);
        var id = (await (await inspector.PostJsonAsync("/api/v1/inspections",
            new { organizationId, kind = "Regular", scheduledOn = "2023-06-01", leadInspector = "inspector-7" })).Expect(HttpStatusCode.Created)).Id();
        if (start) await (await inspector.PostJsonAsync($"/api/v1/inspections/{id}/start", new { startedOn = "2023-06-01" })).Expect(HttpStatusCode.OK);
        return id;
    }

    public static object Finding(string category = "UnpaidWages", Guid? findingId = null) => new
    {
        findingId,
        category,
        severity = "High",
        legalBasis = "Art.16(1)(iv)",
        traineesAffected = 4,
        observedOn = "2023-06-01",
        narrative = "Overtime unpaid since March.",
    };
}
