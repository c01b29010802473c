using System.Globalization;
using System.Text.Json;
using Oversight.Security;

namespace Oversight.Api.Tests.Support;

/// <summary>Writes through the API with the particulars the read-side tests vary (prefecture, dates, legal basis, texts); each returns the write's body.</summary>
internal static class ReadScenario
{
    public static async Task<Guid> RegisterSoAsync(this ApiFactory api, string prefecture = "13", string permitFrom = "2022-04-01", string? corporateNumber = null,
        string subject = "tester")
    {
        var from = DateOnly.ParseExact(permitFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return (await api.WriteAsync(Roles.Officer, "/api/v1/supervising-organizations", new
        {
            permitNumber = TestData.PermitNumber(),
            corporateNumber = corporateNumber ?? TestData.CorporateNumber(),
            name = "Kanto Agricultural Cooperative",
            prefecture,
            category = "General",
            permitFrom,
            permitTo = from.AddYears(5).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }, subject)).Id();
    }

    public static async Task<Guid> RegisterIoAsync(this ApiFactory api, Guid supervisingOrganizationId, string prefecture = "22", string registeredOn = "2023-01-10",
        string? corporateNumber = null, string industry = "Casting", string subject = "tester") =>
        (await api.WriteAsync(Roles.Officer, "/api/v1/implementing-organizations", new
        {
            corporateNumber = corporateNumber ?? TestData.CorporateNumber(),
            name = "Shizuoka Precision Castings Co., Ltd.",
            prefecture,
            industry,
            supervisingOrganizationId,
            registeredOn,
        }, subject)).Id();

    /// <summary>Accredits a No.1 plan; returns its number.</summary>
    public static async Task<string> AccreditAsync(this ApiFactory api, Guid implementingOrganizationId, int trainees = 3, Guid? sendingOrganizationId = null,
        string country = "VN")
    {
        var number = TestData.PlanNumber();
        await api.WriteAsync(Roles.Officer, $"/api/v1/implementing-organizations/{implementingOrganizationId}/training-plans", new
        {
            planNumber = number,
            type = "No1",
            trainees,
            sendingCountry = country,
            sendingOrganizationId,
            from = "2023-04-01",
            to = "2024-03-31",
            accreditedOn = "2023-03-01",
        });
        return number;
    }

    public static Task<JsonElement> RevokePermitAsync(this ApiFactory api, Guid so, string effectiveOn, string legalBasis = "Art.37(1)(iv)",
        string reason = "Falsified audit reports.", string subject = "tester") =>
        api.WriteAsync(Roles.Officer, $"/api/v1/supervising-organizations/{so}/revocation", new { effectiveOn, legalBasis, reason }, subject);

    public static Task<JsonElement> RevokePlansAsync(this ApiFactory api, Guid io, string effectiveOn, string[]? planNumbers = null,
        string legalBasis = "Art.16(1)(iv)", string reason = "False reports on working hours.") =>
        api.WriteAsync(Roles.Officer, $"/api/v1/implementing-organizations/{io}/plan-revocations", new { effectiveOn, planNumbers, legalBasis, reason });

    /// <summary>Schedules and starts an inspection (same day); returns its id.</summary>
    public static async Task<Guid> StartInspectionAsync(this ApiFactory api, Guid organizationId, string on = "2023-06-01", string leadInspector = "inspector-7",
        string subject = "tester")
    {
        var id = (await api.WriteAsync(Roles.Inspector, "/api/v1/inspections",
            new { organizationId, kind = "Regular", scheduledOn = on, leadInspector }, subject)).Id();
        await api.WriteAsync(Roles.Inspector, $"/api/v1/inspections/{id}/start", new { startedOn = on }, subject);
        return id;
    }

    public static Task<JsonElement> CompleteInspectionAsync(this ApiFactory api, Guid inspection, string completedOn, string outcome = "GuidanceLetter") =>
        api.WriteAsync(Roles.Inspector, $"/api/v1/inspections/{inspection}/completion", new { completedOn, outcome });

    /// <summary>An inspection started on <paramref name="on"/> and completed on <paramref name="completedOn"/>; returns the completion.</summary>
    public static async Task<JsonElement> InspectAsync(this ApiFactory api, Guid organizationId, string on, string completedOn)
    {
        var id = await api.StartInspectionAsync(organizationId, on);
        return await api.CompleteInspectionAsync(id, completedOn, "NoIssues");
    }

    public static Task<JsonElement> FindAsync(this ApiFactory api, Guid inspection, string category, string observedOn = "2023-06-01",
        string narrative = "Overtime unpaid since March.", string subject = "tester") =>
        api.WriteAsync(Roles.Inspector, $"/api/v1/inspections/{inspection}/findings", new
        {
            category,
            severity = "High",
            legalBasis = "Art.16(1)(iv)",
            traineesAffected = 2,
            observedOn,
            narrative,
        }, subject);

    public static async Task<Guid> RegisterSenderAsync(this ApiFactory api, string country = "VN") =>
        (await api.WriteAsync(Roles.Officer, "/api/v1/sending-organizations", new { country, name = "Hanoi Manpower Export JSC", licenceId = "VN-LD-0427" })).Id();

    public static Task<JsonElement> ReportSenderAsync(this ApiFactory api, Guid sender, string reportedOn, string details = "Disappearances three times the average.") =>
        api.WriteAsync(Roles.Officer, $"/api/v1/sending-organizations/{sender}/moc-reports",
            new { reportedOn, reasons = new[] { "HighDisappearanceRate" }, details });

    public static Task<JsonElement> RespondAsync(this ApiFactory api, Guid sender, Guid report, string response, string respondedOn = "2023-09-01",
        string details = "Licence suspended for six months.") =>
        api.WriteAsync(Roles.Officer, $"/api/v1/sending-organizations/{sender}/moc-reports/{report}/response", new { respondedOn, response, details });
}
