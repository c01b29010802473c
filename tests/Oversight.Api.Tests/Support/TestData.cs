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

    /// <summary>
    /// A country with no memorandum in the shipped reference data, different on every call (each test database may record
    /// one memorandum per country).
    /// </summary>
    public static string CountryWithoutMoc()
    {
        var codes = WithoutMoc.Value;
        return codes[(int)(Interlocked.Increment(ref s_countries) % codes.Length)];
    }

    private static long s_countries = Random.Shared.Next(0, 1000);

    private static readonly Lazy<string[]> WithoutMoc = new(() =>
    [
        .. "AD AE AF AG AL AM AO AR AT AU AZ BA BB BE BF BG BH BI BJ BN BO BR BS BW BY BZ CA CD CF CG CH CI CL CM CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY HN HR HT HU IE IL IQ IR IS IT JM JO KE KG KI KM KN KR KW KZ LB LC LI LR LS LT LU LV LY MA MC MD ME MG MH MK ML MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NR NZ OM PA PE PG PL PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TJ TM TN TO TR TT TV TZ UA UG US UY VA VC VE VU WS YE ZA ZM ZW"
            .Split(' ')
            .Where(code => Oversight.ReadModels.ReferenceData.MocReferenceData.All.All(m => m.Country != code)),
    ]);

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

    public static async Task<Guid> RegisterImplementingOrganizationAsync(this ApiFactory api, Guid supervisingOrganizationId, string? corporateNumber = null,
        string registeredOn = "2023-01-10")
    {
        using var officer = api.As(Roles.Officer);
        return (await (await officer.PostJsonAsync("/api/v1/implementing-organizations", new
        {
            corporateNumber = corporateNumber ?? CorporateNumber(),
            name = "Shizuoka Precision Castings Co., Ltd.",
            prefecture = "22",
            industry = "Casting",
            supervisingOrganizationId,
            registeredOn,
        })).Expect(HttpStatusCode.Created)).Id();
    }

    public static object Plan(string? planNumber = null, string type = "No1", Guid? sendingOrganizationId = null) => new
    {
        planNumber = planNumber ?? PlanNumber(),
        type,
        trainees = 3,
        sendingCountry = "VN",
        sendingOrganizationId,
        from = "2023-04-01",
        to = type == "No1" ? "2024-03-31" : "2025-03-31",
        accreditedOn = "2023-03-01",
    };

    /// <summary>Accredits a plan (No.1 by default) and returns its number.</summary>
    public static async Task<string> AccreditPlanAsync(this ApiFactory api, Guid implementingOrganizationId, string? planNumber = null, string type = "No1",
        Guid? sendingOrganizationId = null)
    {
        planNumber ??= PlanNumber();
        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync($"/api/v1/implementing-organizations/{implementingOrganizationId}/training-plans",
            Plan(planNumber, type, sendingOrganizationId))).Expect(HttpStatusCode.Created);
        return planNumber;
    }

    public static async Task<Guid> RecordFindingAsync(this ApiFactory api, Guid inspectionId)
    {
        using var inspector = api.As(Roles.Inspector);
        return (await (await inspector.PostJsonAsync($"/api/v1/inspections/{inspectionId}/findings", Finding())).Expect(HttpStatusCode.Created)).Id();
    }

    public static object ImprovementOrder(Guid organizationId, Guid? inspectionId = null, IReadOnlyList<Guid>? findingIds = null,
        string issuedOn = "2023-07-01", string dueOn = "2023-08-31", string legalBasis = "Art.15") => new
    {
        organizationId,
        inspectionId,
        issuer = "Ministers",
        kind = "ImprovementOrder",
        issuedOn,
        dueOn,
        findingIds = findingIds ?? [],
        legalBasis,
        reason = "Wages unpaid to trainees.",
    };

    /// <summary>Issues an improvement order (Art.15: the organization is an implementing one) and returns its id.</summary>
    public static async Task<Guid> IssueCorrectionOrderAsync(this ApiFactory api, Guid organizationId, Guid? inspectionId = null, IReadOnlyList<Guid>? findingIds = null)
    {
        using var officer = api.As(Roles.Officer);
        return (await (await officer.PostJsonAsync("/api/v1/correction-orders", ImprovementOrder(organizationId, inspectionId, findingIds)))
            .Expect(HttpStatusCode.Created)).Id();
    }

    public static async Task ReportCorrectionAsync(this ApiFactory api, Guid orderId, string reportedOn = "2023-08-20")
    {
        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync($"/api/v1/correction-orders/{orderId}/report", new { reportedOn, summary = "Back pay settled." }))
            .Expect(HttpStatusCode.OK);
    }

    public static async Task<Guid> RegisterSendingOrganizationAsync(this ApiFactory api, string country = "VN")
    {
        using var officer = api.As(Roles.Officer);
        return (await (await officer.PostJsonAsync("/api/v1/sending-organizations", new { country, name = "Hanoi Manpower Export JSC", licenceId = "VN-LD-0427" }))
            .Expect(HttpStatusCode.Created)).Id();
    }

    /// <summary>Reports the sending organization under the MOC and returns the report's id.</summary>
    public static async Task<Guid> ReportUnderMocAsync(this ApiFactory api, Guid sendingOrganizationId, string reportedOn = "2022-06-15")
    {
        using var officer = api.As(Roles.Officer);
        return (await (await officer.PostJsonAsync($"/api/v1/sending-organizations/{sendingOrganizationId}/moc-reports",
            new { reportedOn, reasons = new[] { "HighDisappearanceRate" }, details = "Disappearances three times the average." })).Expect(HttpStatusCode.Created)).Id();
    }
}
