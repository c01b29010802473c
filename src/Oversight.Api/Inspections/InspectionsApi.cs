using Oversight.Api.AccessLog;
using Oversight.Api.Http;
using Oversight.Api.Organizations;
using Oversight.Api.Security;
using Oversight.Api.Writes;
using Oversight.Domain.Common;
using Oversight.Domain.Inspections;

namespace Oversight.Api.Inspections;

/// <summary>Inspectors schedule on-site inspections and record what they find.</summary>
internal static class InspectionsApi
{
    public static RouteGroupBuilder MapInspections(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/inspections").WithTags("Inspections");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Audit).AccessLogged("inspection.read", "inspection").WithSummary("An inspection and its findings (narratives included: not for analysts)")
            .Produces<Inspection>().ProducesProblem(StatusCodes.Status404NotFound);
        var writes = group.MapGroup("").RequireAuthorization(Policies.Inspect);
        writes.MapPost("/", Schedule).Write(ScheduleInspectionRequest.Example, created: true).WithSummary("Schedule an on-site inspection");
        writes.MapPost("/{id:guid}/start", Start).Write(StartInspectionRequest.Example).WithSummary("Start the inspection on site");
        writes.MapPost("/{id:guid}/findings", RecordFinding).Write(RecordFindingRequest.Example, created: true).WithSummary("Record a finding");
        writes.MapPost("/{id:guid}/findings/{findingId:guid}/retraction", RetractFinding).Write(RetractFindingRequest.Example)
            .WithSummary("Retract a finding (a new event with the reason; the finding stays in the record)");
        writes.MapPost("/{id:guid}/cancellation", Cancel).Write(CancelInspectionRequest.Example).WithSummary("Cancel a scheduled or running inspection");
        writes.MapPost("/{id:guid}/completion", Complete).Write(CompleteInspectionRequest.Example).WithSummary("Complete the inspection");
        return group;
    }

    internal static Task<Inspection?> LoadInspectionAsync(this WriteScope scope, Guid id, bool target, CancellationToken ct) => target
        ? scope.LoadTargetAsync<Inspection?>(Inspection.StreamId(id), null, Inspection.Evolve, ct)
        : scope.LoadAsync<Inspection?>(Inspection.StreamId(id), null, Inspection.Evolve, ct);

    private static async Task<IResult> Get(Guid id, HttpContext http, Marten.IQuerySession session, CancellationToken ct)
    {
        var (state, version) = await Persistence.Reading.EventReader.FoldAsync<Inspection?>(session, Inspection.StreamId(id), null, Inspection.Evolve, cancellationToken: ct);
        if (state is null) throw ApiProblemException.NotFound("inspection", id);
        AccessLogging.Concerns(http, state.OrganizationId);
        http.Response.Headers.ETag = WriteExecutor.ETag(version);
        return Results.Ok(state);
    }

    private static async Task<IResult> Schedule(HttpContext http, WriteExecutor writes, TimeProvider clock, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<ScheduleInspectionRequest>(http, ct);
        var v = new Validation();
        var organizationId = v.Required(r.OrganizationId, "organizationId");
        var kind = v.Required(r.Kind, "kind");
        var scheduledOn = v.Date(r.ScheduledOn, "scheduledOn");
        var lead = v.Text(r.LeadInspector, "leadInspector");
        v.ThrowIfInvalid();

        var id = Guid.CreateVersion7(clock.GetUtcNow());
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var organization = await scope.LoadOrganizationAsync(organizationId, token)
                ?? throw new RuleViolation("organization-not-found", $"No organization {organizationId}.", "organizationId");
            var state = await scope.LoadInspectionAsync(id, target: true, token);
            scope.Append(Inspection.StreamId(id), scheduledOn, InspectionRules.Decide(state, organization.IsActive, organization.Since,
                new ScheduleInspection(id, organizationId, organization.Type, kind, scheduledOn, lead)));
            return new WriteOutcome(Inspection.StreamId(id), id, $"/api/v1/inspections/{id}", Created: true);
        }, ct);
    }

    private static async Task<IResult> Start(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<StartInspectionRequest>(http, ct);
        var v = new Validation();
        var startedOn = v.Date(r.StartedOn, "startedOn");
        v.NotAfterToday(startedOn, "startedOn", writes.Today);
        v.ThrowIfInvalid();
        return await Decide(http, writes, r, id, startedOn, state => InspectionRules.Decide(state, new StartInspection(startedOn)), ct);
    }

    private static async Task<IResult> RecordFinding(Guid id, HttpContext http, WriteExecutor writes, TimeProvider clock, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<RecordFindingRequest>(http, ct);
        var v = new Validation();
        var category = v.Required(r.Category, "category");
        var severity = v.Required(r.Severity, "severity");
        var basis = r.LegalBasis is null ? null : v.Parse("legalBasis", () => LegalBasis.Parse(r.LegalBasis).ToString());
        var trainees = v.Count(r.TraineesAffected, "traineesAffected", 0, 10_000);
        var observedOn = v.Date(r.ObservedOn, "observedOn");
        v.NotAfterToday(observedOn, "observedOn", writes.Today);
        var narrative = v.Text(r.Narrative, "narrative", 8000);
        v.ThrowIfInvalid();

        var findingId = r.FindingId ?? Guid.CreateVersion7(clock.GetUtcNow());
        var command = new Domain.Inspections.RecordFinding(findingId, category, severity, basis, trainees, observedOn, narrative);
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var state = await scope.LoadInspectionAsync(id, target: true, token);
            scope.Append(Inspection.StreamId(id), observedOn, InspectionRules.Decide(state, command));
            return new WriteOutcome(Inspection.StreamId(id), findingId, $"/api/v1/inspections/{id}", Created: true);
        }, ct);
    }

    private static async Task<IResult> RetractFinding(Guid id, Guid findingId, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<RetractFindingRequest>(http, ct);
        var v = new Validation();
        var reason = v.Text(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var state = await scope.LoadInspectionAsync(id, target: true, token);
            scope.Append(Inspection.StreamId(id), scope.Today, InspectionRules.Decide(state, new Domain.Inspections.RetractFinding(findingId, reason)));
            return new WriteOutcome(Inspection.StreamId(id), findingId, $"/api/v1/inspections/{id}", Created: false);
        }, ct);
    }

    private static async Task<IResult> Complete(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<CompleteInspectionRequest>(http, ct);
        var v = new Validation();
        var completedOn = v.Date(r.CompletedOn, "completedOn");
        v.NotAfterToday(completedOn, "completedOn", writes.Today);
        var outcome = v.Required(r.Outcome, "outcome");
        v.ThrowIfInvalid();
        return await Decide(http, writes, r, id, completedOn, state => InspectionRules.Decide(state, new CompleteInspection(completedOn, outcome)), ct);
    }

    private static async Task<IResult> Cancel(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<CancelInspectionRequest>(http, ct);
        var v = new Validation();
        var cancelledOn = v.Date(r.CancelledOn, "cancelledOn");
        v.NotAfterToday(cancelledOn, "cancelledOn", writes.Today);
        var reason = v.Text(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();
        return await Decide(http, writes, r, id, cancelledOn, state => InspectionRules.Decide(state, new CancelInspection(cancelledOn, reason)), ct);
    }

    private static Task<IResult> Decide<TRequest>(HttpContext http, WriteExecutor writes, TRequest request, Guid id, DateOnly occurredOn,
        Func<Inspection?, object[]> decide, CancellationToken ct) where TRequest : notnull =>
        writes.ExecuteAsync(http, request, async (scope, token) =>
        {
            var state = await scope.LoadInspectionAsync(id, target: true, token);
            scope.Append(Inspection.StreamId(id), occurredOn, decide(state));
            return new WriteOutcome(Inspection.StreamId(id), id, $"/api/v1/inspections/{id}", Created: false);
        }, ct);
}
