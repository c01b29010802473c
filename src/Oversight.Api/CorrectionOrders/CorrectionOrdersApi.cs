using Oversight.Api.AccessLog;
using Oversight.Api.Http;
using Oversight.Api.Inspections;
using Oversight.Api.Organizations;
using Oversight.Api.Security;
using Oversight.Api.Writes;
using Oversight.Domain.Common;
using Oversight.Domain.CorrectionOrders;

namespace Oversight.Api.CorrectionOrders;

/// <summary>Officers issue correction orders; the organization's report is recorded and verified or rejected; overdue orders are marked by a scheduled check.</summary>
internal static class CorrectionOrdersApi
{
    public static RouteGroupBuilder MapCorrectionOrders(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/correction-orders").WithTags("Correction orders");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Audit).AccessLogged("correction-order.read", "correction-order").WithSummary("A correction order and where it stands")
            .Produces<CorrectionOrder>().ProducesProblem(StatusCodes.Status404NotFound);
        var writes = group.MapGroup("").RequireAuthorization(Policies.Officiate);
        writes.MapPost("/", Issue).Write(IssueCorrectionOrderRequest.Example, created: true).WithSummary("Issue guidance, a recommendation, an improvement order or a labour-standards correction");
        writes.MapPost("/{id:guid}/report", Report).Write(ReportCorrectionRequest.Example).WithSummary("Record the organization's report of its correction");
        writes.MapPost("/{id:guid}/verification", Verify).Write(VerifyCorrectionRequest.Example).WithSummary("Verify or reject the reported correction");
        writes.MapPost("/{id:guid}/escalation", Escalate).Write(EscalateCorrectionOrderRequest.Example).WithSummary("Escalate to the next measure of the ladder");
        return group;
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, Marten.IQuerySession session, CancellationToken ct)
    {
        var (state, version) = await Persistence.Reading.EventReader.FoldAsync<CorrectionOrder?>(session, CorrectionOrder.StreamId(id), null, CorrectionOrder.Evolve, cancellationToken: ct);
        if (state is null) throw ApiProblemException.NotFound("correction order", id);
        AccessLogging.Concerns(http, state.OrganizationId);
        http.Response.Headers.ETag = WriteExecutor.ETag(version);
        return Results.Ok(state);
    }

    private static async Task<IResult> Issue(HttpContext http, WriteExecutor writes, TimeProvider clock, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<IssueCorrectionOrderRequest>(http, ct);
        var v = new Validation();
        var organizationId = v.Required(r.OrganizationId, "organizationId");
        var issuer = v.Required(r.Issuer, "issuer");
        var kind = v.Required(r.Kind, "kind");
        var issuedOn = v.Date(r.IssuedOn, "issuedOn");
        v.NotAfterToday(issuedOn, "issuedOn", writes.Today);
        var dueOn = v.Date(r.DueOn, "dueOn");
        if (r.FindingIds is { Count: > 200 }) v.Add("findingIds", "At most 200 findings per order.");
        var basis = r.LegalBasis is null ? null : v.Parse("legalBasis", () => LegalBasis.Parse(r.LegalBasis));
        var reason = v.OptionalText(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();

        var id = Guid.CreateVersion7(clock.GetUtcNow());
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var organization = await scope.LoadOrganizationAsync(organizationId, token)
                ?? throw new RuleViolation("organization-not-found", $"No organization {organizationId}.", "organizationId");
            var inspection = r.InspectionId is { } inspectionId ? await scope.LoadInspectionAsync(inspectionId, target: false, token) : null;
            var state = await scope.LoadTargetAsync<CorrectionOrder?>(CorrectionOrder.StreamId(id), null, CorrectionOrder.Evolve, token);
            var command = new IssueCorrectionOrder(id, organizationId, organization.Type, r.InspectionId, issuer, kind, issuedOn, dueOn,
                r.FindingIds ?? [], basis, reason);
            scope.Append(CorrectionOrder.StreamId(id), issuedOn, CorrectionOrderRules.Decide(state, organization.IsActive, organization.Since, inspection, command));
            return new WriteOutcome(CorrectionOrder.StreamId(id), id, $"/api/v1/correction-orders/{id}", Created: true);
        }, ct);
    }

    private static async Task<IResult> Report(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<ReportCorrectionRequest>(http, ct);
        var v = new Validation();
        var reportedOn = v.Date(r.ReportedOn, "reportedOn");
        v.NotAfterToday(reportedOn, "reportedOn", writes.Today);
        var summary = v.Text(r.Summary, "summary", 4000);
        v.ThrowIfInvalid();
        return await Decide(http, writes, r, id, reportedOn, state => CorrectionOrderRules.Decide(state, new ReportCorrection(reportedOn, summary)), ct);
    }

    private static async Task<IResult> Verify(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<VerifyCorrectionRequest>(http, ct);
        var v = new Validation();
        var decision = v.Required(r.Decision, "decision");
        var decidedOn = v.Date(r.DecidedOn, "decidedOn");
        v.NotAfterToday(decidedOn, "decidedOn", writes.Today);
        var reason = decision == VerificationDecision.Rejected ? v.Text(r.Reason, "reason", 2000) : v.OptionalText(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();
        return await Decide(http, writes, r, id, decidedOn, state => decision == VerificationDecision.Verified
            ? CorrectionOrderRules.Decide(state, new VerifyCorrection(decidedOn))
            : CorrectionOrderRules.Decide(state, new RejectCorrection(decidedOn, reason!)), ct);
    }

    private static async Task<IResult> Escalate(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<EscalateCorrectionOrderRequest>(http, ct);
        var v = new Validation();
        var escalatedOn = v.Date(r.EscalatedOn, "escalatedOn");
        v.NotAfterToday(escalatedOn, "escalatedOn", writes.Today);
        var to = v.Text(r.To, "to", 100);
        var reason = v.Text(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();
        return await Decide(http, writes, r, id, escalatedOn, state => CorrectionOrderRules.Decide(state, new EscalateCorrectionOrder(escalatedOn, to, reason)), ct);
    }

    private static Task<IResult> Decide<TRequest>(HttpContext http, WriteExecutor writes, TRequest request, Guid id, DateOnly occurredOn,
        Func<CorrectionOrder?, object[]> decide, CancellationToken ct) where TRequest : notnull =>
        writes.ExecuteAsync(http, request, async (scope, token) =>
        {
            var state = await scope.LoadTargetAsync<CorrectionOrder?>(CorrectionOrder.StreamId(id), null, CorrectionOrder.Evolve, token);
            scope.Append(CorrectionOrder.StreamId(id), occurredOn, decide(state));
            return new WriteOutcome(CorrectionOrder.StreamId(id), id, $"/api/v1/correction-orders/{id}", Created: false);
        }, ct);
}
