using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Oversight.Security;

namespace Oversight.Api.Tests.Support;

/// <summary>What kind of value a body member holds, as far as bad-input tests care.</summary>
public enum FieldKind
{
    Text,
    Date,
    Number,
    Boolean,
    Uuid,
    Enum,
    TextList,
    EnumList,
    UuidList,
}

/// <summary>
/// One write endpoint: who may call it (besides admin), where it is given a world, a body that succeeds once against a
/// fresh world (fresh unique numbers on every call), the members a 400 names when they are missing, its enum members
/// and its periods (from, to).
/// </summary>
public sealed record WriteEndpoint(
    string Key, string Role, Func<World, string> Path, Func<World, JsonObject> Body, string[] Required, bool Creates,
    string[] Enums, (string From, string To)[] Periods)
{
    public string[] AllowedRoles => [Role, Roles.Admin];

    public override string ToString() => Key;

    /// <summary>Each member of the valid body with its kind (read off a body built for a placeholder world).</summary>
    public IReadOnlyList<(string Name, FieldKind Kind)> Fields() =>
        Body(World.Placeholder).Select(p => (p.Key, KindOf(p.Key, p.Value))).ToList();

    private static bool IsUuid(JsonNode value) =>
        value is JsonValue v && (v.TryGetValue<Guid>(out _) || (v.TryGetValue<string>(out var s) && Guid.TryParse(s, out _)));

    private FieldKind KindOf(string name, JsonNode? value)
    {
        if (value is JsonArray array)
            return Enums.Contains(name) ? FieldKind.EnumList : array.FirstOrDefault() is JsonValue v && IsUuid(v) ? FieldKind.UuidList : FieldKind.TextList;
        if (Enums.Contains(name)) return FieldKind.Enum;
        if (IsUuid(value!)) return FieldKind.Uuid;
        return value!.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.Number => FieldKind.Number,
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => FieldKind.Boolean,
            _ when DateOnly.TryParseExact(value.GetValue<string>(), "yyyy-MM-dd", out _) => FieldKind.Date,
            _ => FieldKind.Text,
        };
    }
}

/// <summary>Every POST of the API (design §4 plus what the *Api.cs files add), keyed for theory data.</summary>
public static partial class WriteEndpoints
{
    private const string So = "/api/v1/supervising-organizations";
    private const string Io = "/api/v1/implementing-organizations";
    private const string Inspections = "/api/v1/inspections";
    private const string Orders = "/api/v1/correction-orders";
    private const string Senders = "/api/v1/sending-organizations";
    private const string Mocs = "/api/v1/moc-agreements";

    private static readonly (string, string)[] None = [];

    public static IReadOnlyList<WriteEndpoint> All { get; } =
    [
        // Supervising organizations (officer)
        new("so.register", Roles.Officer, _ => So, _ => new JsonObject
        {
            ["permitNumber"] = TestData.PermitNumber(), ["corporateNumber"] = TestData.CorporateNumber(), ["name"] = "Kanto Agricultural Cooperative",
            ["prefecture"] = "13", ["category"] = "General", ["permitFrom"] = "2022-04-01", ["permitTo"] = "2027-03-31",
        }, ["permitNumber", "corporateNumber", "name", "prefecture", "category", "permitFrom", "permitTo"], true, ["category"], [("permitFrom", "permitTo")]),
        new("so.revocation", Roles.Officer, w => $"{So}/{w.SupervisingOrganization}/revocation", _ => new JsonObject
        {
            ["effectiveOn"] = "2023-01-27", ["legalBasis"] = "Art.37(1)(iv)", ["reason"] = "Falsified audit reports on implementing organizations.",
        }, ["effectiveOn", "legalBasis", "reason"], false, [], None),
        new("so.business-suspension", Roles.Officer, w => $"{So}/{w.SupervisingOrganization}/business-suspensions", _ => new JsonObject
        {
            ["from"] = "2023-02-01", ["to"] = "2023-04-30", ["partial"] = true, ["legalBasis"] = "Art.37(3)", ["reason"] = "Supervision duties not performed.",
        }, ["from", "to", "legalBasis", "reason"], false, [], [("from", "to")]),
        new("so.revocation-hearing", Roles.Officer, w => $"{So}/{w.SupervisingOrganization}/revocation-hearing", _ => new JsonObject
        {
            ["noticedOn"] = "2023-01-10",
        }, ["noticedOn"], false, [], None),
        new("so.acceptance-suspension", Roles.Officer, w => $"{So}/{w.SupervisingOrganization}/acceptance-suspensions", _ => AcceptanceSuspension(),
            ["from", "to", "reason"], false, [], [("from", "to")]),
        new("so.renewal", Roles.Officer, w => $"{So}/{w.SupervisingOrganization}/renewal", _ => new JsonObject
        {
            ["permitFrom"] = "2027-04-01", ["permitTo"] = "2034-03-31", ["ratedExcellent"] = true,
        }, ["permitFrom", "permitTo"], false, [], [("permitFrom", "permitTo")]),
        new("so.category-downgrade", Roles.Officer, w => $"{So}/{w.SupervisingOrganization}/category-downgrade", _ => new JsonObject
        {
            ["effectiveOn"] = "2024-04-01", ["legalBasis"] = "Art.37(2)", ["reason"] = "The excellence standard is no longer met.",
        }, ["effectiveOn", "legalBasis", "reason"], false, [], None),
        new("so.category", Roles.Officer, w => $"{So}/{w.SupervisingOrganization}/category", _ => new JsonObject
        {
            ["category"] = "Specified", ["effectiveOn"] = "2024-04-01",
        }, ["category", "effectiveOn"], false, ["category"], None),
        new("so.abolition", Roles.Officer, w => $"{So}/{w.SupervisingOrganization}/abolition", _ => new JsonObject
        {
            ["effectiveOn"] = "2023-01-20",
        }, ["effectiveOn"], false, [], None),

        // Implementing organizations (officer)
        new("io.register", Roles.Officer, _ => Io, w => new JsonObject
        {
            ["corporateNumber"] = TestData.CorporateNumber(), ["name"] = "Shizuoka Precision Castings Co., Ltd.", ["prefecture"] = "22", ["industry"] = "Casting",
            ["supervisingOrganizationId"] = w.SupervisingOrganization, ["registeredOn"] = "2023-01-10",
        }, ["corporateNumber", "name", "prefecture", "industry", "supervisingOrganizationId"], true, [], None),
        new("io.training-plan", Roles.Officer, w => $"{Io}/{w.ImplementingOrganization}/training-plans", w => new JsonObject
        {
            ["planNumber"] = TestData.PlanNumber(), ["type"] = "No1", ["trainees"] = 3, ["sendingCountry"] = "VN", ["sendingOrganizationId"] = w.SendingOrganization,
            ["from"] = "2023-04-01", ["to"] = "2024-03-31", ["accreditedOn"] = "2023-03-01",
        }, ["planNumber", "type", "trainees", "sendingCountry", "from", "to"], true, ["type"], [("from", "to")]),
        new("io.supervising-organization", Roles.Officer, w => $"{Io}/{w.ImplementingOrganization}/supervising-organization", w => new JsonObject
        {
            ["supervisingOrganizationId"] = w.OtherSupervisingOrganization, ["effectiveOn"] = "2023-10-01",
        }, ["supervisingOrganizationId", "effectiveOn"], false, [], None),
        new("io.disappearance", Roles.Officer, w => $"{Io}/{w.ImplementingOrganization}/disappearances", w => new JsonObject
        {
            ["count"] = 2, ["reportedOn"] = "2023-08-14", ["planNumber"] = w.Plan,
        }, ["count", "reportedOn"], false, [], None),
        new("io.acceptance-suspension", Roles.Officer, w => $"{Io}/{w.ImplementingOrganization}/acceptance-suspensions", _ => AcceptanceSuspension(),
            ["from", "to", "reason"], false, [], [("from", "to")]),
        new("io.plan-revocation", Roles.Officer, w => $"{Io}/{w.ImplementingOrganization}/plan-revocations", w => new JsonObject
        {
            ["effectiveOn"] = "2023-12-01", ["planNumbers"] = new JsonArray(w.Plan), ["legalBasis"] = "Art.16(1)(iv)", ["reason"] = "False reports on working hours.",
        }, ["effectiveOn", "legalBasis", "reason"], false, [], None),

        // Inspections (inspector)
        new("inspection.schedule", Roles.Inspector, _ => Inspections, w => new JsonObject
        {
            ["organizationId"] = w.ImplementingOrganization, ["kind"] = "Unannounced", ["scheduledOn"] = "2023-06-01", ["leadInspector"] = "inspector-7",
        }, ["organizationId", "kind", "scheduledOn", "leadInspector"], true, ["kind"], None),
        new("inspection.start", Roles.Inspector, w => $"{Inspections}/{w.ScheduledInspection}/start", _ => new JsonObject
        {
            ["startedOn"] = "2023-06-01",
        }, ["startedOn"], false, [], None),
        new("inspection.finding", Roles.Inspector, w => $"{Inspections}/{w.Inspection}/findings", _ => new JsonObject
        {
            ["category"] = "ConfiscatedPassportOrResidenceCard", ["severity"] = "Critical", ["legalBasis"] = "Art.48(1)", ["traineesAffected"] = 3,
            ["observedOn"] = "2023-06-01", ["narrative"] = "Passports of three trainees kept in the office safe.",
        }, ["category", "severity", "traineesAffected", "observedOn", "narrative"], true, ["category", "severity"], None),
        new("inspection.retraction", Roles.Inspector, w => $"{Inspections}/{w.Inspection}/findings/{w.Finding}/retraction", _ => new JsonObject
        {
            ["reason"] = "Recorded against the wrong inspection.",
        }, ["reason"], false, [], None),
        new("inspection.cancellation", Roles.Inspector, w => $"{Inspections}/{w.Inspection}/cancellation", _ => new JsonObject
        {
            ["cancelledOn"] = "2023-06-02", ["reason"] = "The site was closed after a flood.",
        }, ["cancelledOn", "reason"], false, [], None),
        new("inspection.completion", Roles.Inspector, w => $"{Inspections}/{w.Inspection}/completion", _ => new JsonObject
        {
            ["completedOn"] = "2023-06-02", ["outcome"] = "ImprovementRecommendation",
        }, ["completedOn", "outcome"], false, ["outcome"], None),

        // Correction orders (officer)
        new("order.issue", Roles.Officer, _ => Orders, w => new JsonObject
        {
            ["organizationId"] = w.ImplementingOrganization, ["inspectionId"] = w.Inspection, ["issuer"] = "Ministers", ["kind"] = "ImprovementOrder",
            ["issuedOn"] = "2023-07-01", ["dueOn"] = "2023-08-31", ["findingIds"] = new JsonArray(w.Finding), ["legalBasis"] = "Art.15",
            ["reason"] = "Wages unpaid to trainees.",
        }, ["organizationId", "issuer", "kind", "issuedOn", "dueOn"], true, ["issuer", "kind"], None),
        new("order.report", Roles.Officer, w => $"{Orders}/{w.OpenOrder}/report", _ => new JsonObject
        {
            ["reportedOn"] = "2023-08-20", ["summary"] = "Back pay settled; time records now kept electronically.",
        }, ["reportedOn", "summary"], false, [], None),
        new("order.verification", Roles.Officer, w => $"{Orders}/{w.ReportedOrder}/verification", _ => new JsonObject
        {
            ["decision"] = "Verified", ["decidedOn"] = "2023-09-05",
        }, ["decision", "decidedOn"], false, ["decision"], None),
        new("order.escalation", Roles.Officer, w => $"{Orders}/{w.OpenOrder}/escalation", _ => new JsonObject
        {
            ["escalatedOn"] = "2023-10-01", ["to"] = "PlanRevocation", ["reason"] = "The order was not complied with.",
        }, ["escalatedOn", "to", "reason"], false, [], None),

        // Sending organizations and MOC reports (officer)
        new("sending.register", Roles.Officer, _ => Senders, _ => new JsonObject
        {
            ["country"] = "VN", ["name"] = "Hanoi Manpower Export JSC", ["licenceId"] = "VN-LD-0427",
        }, ["country", "name"], true, [], None),
        new("sending.moc-report", Roles.Officer, w => $"{Senders}/{w.SendingOrganization}/moc-reports", _ => new JsonObject
        {
            ["reportedOn"] = "2022-06-15", ["reasons"] = new JsonArray("HighDisappearanceRate", "ExcessiveFees"), ["details"] = "Disappearances three times the average.",
        }, ["reportedOn", "reasons"], true, ["reasons"], None),
        new("sending.moc-response", Roles.Officer, w => $"{Senders}/{w.SendingOrganization}/moc-reports/{w.MocReport}/response", _ => new JsonObject
        {
            ["respondedOn"] = "2022-09-01", ["response"] = "LicenceSuspended", ["details"] = "Licence suspended for six months.",
        }, ["respondedOn", "response"], false, ["response"], None),
        new("sending.acceptance-suspension", Roles.Officer, w => $"{Senders}/{w.SendingOrganization}/acceptance-suspensions", _ => AcceptanceSuspension(),
            ["from", "to", "reason"], false, [], [("from", "to")]),

        // Memoranda of Cooperation (officer)
        new("moc.sign", Roles.Officer, _ => Mocs, _ => new JsonObject
        {
            ["country"] = TestData.CountryWithoutMoc(), ["signedOn"] = "2024-01-18", ["inForceFrom"] = "2024-02-01", ["source"] = "MHLW press release",
        }, ["country", "signedOn", "inForceFrom"], true, [], None),
        new("moc.end", Roles.Officer, w => $"{Mocs}/{w.MocCountry}/end", _ => new JsonObject
        {
            ["endedOn"] = "2025-03-31", ["reason"] = "Superseded by a new memorandum.",
        }, ["endedOn", "reason"], false, [], None),
    ];

    public static WriteEndpoint Get(string key) => All.Single(e => e.Key == key);

    public static TheoryData<string> Keys => new(All.Select(e => e.Key));

    /// <summary>The paths with every route parameter written <c>{}</c> and no trailing slash, for comparing with the OpenAPI document.</summary>
    public static IReadOnlyList<string> Templates => All.Select(e => RouteId().Replace(e.Path(World.Placeholder), "{}").TrimEnd('/')).Distinct().ToList();

    private static JsonObject AcceptanceSuspension() => new()
    {
        ["from"] = "2023-09-01", ["to"] = "2024-02-29", ["reason"] = "Trainees disappeared at more than three times the average rate.",
    };

    [GeneratedRegex("00000000-0000-0000-0000-000000000000")]
    private static partial Regex RouteId();
}
