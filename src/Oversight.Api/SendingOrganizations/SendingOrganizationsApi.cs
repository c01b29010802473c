using Oversight.Api.AccessLog;
using Oversight.Api.Http;
using Oversight.Api.Moc;
using Oversight.Api.Organizations;
using Oversight.Api.Security;
using Oversight.Api.Writes;
using Oversight.Domain.Common;
using Oversight.Domain.SendingOrganizations;

namespace Oversight.Api.SendingOrganizations;

/// <summary>Sending organizations abroad, reports about them to their country under the MOC, and the country's responses.</summary>
internal static class SendingOrganizationsApi
{
    public static RouteGroupBuilder MapSendingOrganizations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sending-organizations").WithTags("Sending organizations and MOC reports");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Audit).AccessLogged("sending-organization.read", "sending-organization").WithSummary("A sending organization with its MOC reports and responses")
            .Produces<SendingOrganization>().ProducesProblem(StatusCodes.Status404NotFound);
        var writes = group.MapGroup("").RequireAuthorization(Policies.Officiate);
        writes.MapPost("/", Register).Write(RegisterSendingOrganizationRequest.Example, created: true).WithSummary("Register a sending organization");
        writes.MapPost("/{id:guid}/moc-reports", Report).Write(MocReportRequest.Example, created: true).WithSummary("Report the organization to its country under the MOC");
        writes.MapPost("/{id:guid}/moc-reports/{reportId:guid}/response", Respond).Write(MocResponseRequest.Example)
            .WithSummary("Record the sending country's response to a report");
        writes.MapPost("/{id:guid}/acceptance-suspensions", Suspend).Write(SuspendAcceptanceRequest.Example)
            .WithSummary("Suspend acceptance of trainees sent by this organization; no plan naming it is accredited meanwhile");
        return group;
    }

    internal static Task<SendingOrganization?> LoadSendingAsync(this WriteScope scope, Guid id, bool target, CancellationToken ct) => target
        ? scope.LoadTargetAsync<SendingOrganization?>(SendingOrganization.StreamId(id), null, SendingOrganization.Evolve, ct)
        : scope.LoadAsync<SendingOrganization?>(SendingOrganization.StreamId(id), null, SendingOrganization.Evolve, ct);

    private static async Task<IResult> Get(Guid id, HttpContext http, Marten.IQuerySession session, CancellationToken ct)
    {
        var (state, version) = await Persistence.Reading.EventReader.FoldAsync<SendingOrganization?>(session, SendingOrganization.StreamId(id), null, SendingOrganization.Evolve, cancellationToken: ct);
        if (state is null) throw ApiProblemException.NotFound("sending organization", id);
        http.Response.Headers.ETag = WriteExecutor.ETag(version);
        return Results.Ok(state);
    }

    private static async Task<IResult> Register(HttpContext http, WriteExecutor writes, TimeProvider clock, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<RegisterSendingOrganizationRequest>(http, ct);
        var v = new Validation();
        var country = v.Parse("country", () => Countries.Validate(r.Country));
        var name = v.Text(r.Name, "name");
        var licence = v.OptionalText(r.LicenceId, "licenceId", 100);
        v.ThrowIfInvalid();

        var id = Guid.CreateVersion7(clock.GetUtcNow());
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var state = await scope.LoadSendingAsync(id, target: true, token);
            scope.Append(SendingOrganization.StreamId(id), scope.Today, SendingOrganizationRules.Decide(state, new RegisterSendingOrganization(id, country, name, licence)));
            return Outcome(id, id, created: true);
        }, ct);
    }

    private static async Task<IResult> Report(Guid id, HttpContext http, WriteExecutor writes, TimeProvider clock, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<MocReportRequest>(http, ct);
        var v = new Validation();
        var reportedOn = v.Date(r.ReportedOn, "reportedOn");
        v.NotAfterToday(reportedOn, "reportedOn", writes.Today);
        if (r.Reasons is null || r.Reasons.Count == 0) v.Add("reasons", "At least one reason.");
        var details = v.OptionalText(r.Details, "details", 4000);
        v.ThrowIfInvalid();

        var reportId = Guid.CreateVersion7(clock.GetUtcNow());
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var state = await scope.LoadSendingAsync(id, target: true, token);
            var moc = state is null ? null : await scope.LoadMocAsync(state.Country, token);
            scope.Append(SendingOrganization.StreamId(id), reportedOn, SendingOrganizationRules.Decide(state, moc, new ReportUnderMoc(reportId, reportedOn, r.Reasons!, details)));
            return Outcome(id, reportId, created: true);
        }, ct);
    }

    private static async Task<IResult> Respond(Guid id, Guid reportId, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<MocResponseRequest>(http, ct);
        var v = new Validation();
        var respondedOn = v.Date(r.RespondedOn, "respondedOn");
        v.NotAfterToday(respondedOn, "respondedOn", writes.Today);
        var response = v.Required(r.Response, "response");
        var details = v.OptionalText(r.Details, "details", 4000);
        v.ThrowIfInvalid();
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var state = await scope.LoadSendingAsync(id, target: true, token);
            scope.Append(SendingOrganization.StreamId(id), respondedOn,
                SendingOrganizationRules.Decide(state, new RecordSendingCountryResponse(reportId, respondedOn, response, details)));
            return Outcome(id, reportId, created: false);
        }, ct);
    }

    private static async Task<IResult> Suspend(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<SuspendAcceptanceRequest>(http, ct);
        var v = new Validation();
        var period = v.Period(r.From, r.To, "from", "to");
        var reason = v.Text(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var state = await scope.LoadSendingAsync(id, target: true, token);
            scope.Append(SendingOrganization.StreamId(id), period.From, SendingOrganizationRules.Decide(state, new SuspendSendingOrganizationAcceptance(period, reason)));
            return Outcome(id, id, created: false);
        }, ct);
    }

    private static WriteOutcome Outcome(Guid id, Guid resource, bool created) =>
        new(SendingOrganization.StreamId(id), resource, $"/api/v1/sending-organizations/{id}", created);
}
