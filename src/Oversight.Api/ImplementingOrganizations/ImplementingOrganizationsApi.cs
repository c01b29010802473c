using Oversight.Api.Http;
using Oversight.Api.Moc;
using Oversight.Api.Organizations;
using Oversight.Api.Security;
using Oversight.Api.SendingOrganizations;
using Oversight.Api.SupervisingOrganizations;
using Oversight.Api.Writes;
using Oversight.Domain.Common;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.LegalEntities;

namespace Oversight.Api.ImplementingOrganizations;

/// <summary>Officers register implementing organizations, accredit their plans and take measures against them.</summary>
internal static class ImplementingOrganizationsApi
{
    public static RouteGroupBuilder MapImplementingOrganizations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/implementing-organizations").WithTags("Implementing organizations").RequireAuthorization(Policies.Officiate);
        group.MapPost("/", Register).Write(RegisterImplementingOrganizationRequest.Example, created: true).WithSummary("Register an implementing organization");
        group.MapPost("/{id:guid}/training-plans", Accredit).Write(AccreditTrainingPlanRequest.Example, created: true).WithSummary("Accredit a technical intern training plan (Art.8)");
        group.MapPost("/{id:guid}/supervising-organization", ChangeSupervisor).Write(ChangeSupervisingOrganizationRequest.Example)
            .WithSummary("Move the organization to another supervising organization");
        group.MapPost("/{id:guid}/disappearances", ReportDisappearance).Write(ReportDisappearanceRequest.Example)
            .WithSummary("Record trainees reported missing");
        group.MapPost("/{id:guid}/acceptance-suspensions", SuspendAcceptance).Write(SuspendAcceptanceRequest.Example)
            .WithSummary("Suspend the acceptance of new trainees for a period");
        group.MapPost("/{id:guid}/plan-revocations", RevokePlans).Write(RevokePlansRequest.Example)
            .WithSummary("Revoke plan accreditations, named or all (Art.16(1)); disqualifies the legal entity for 5 years");
        return group;
    }

    internal static Task<ImplementingOrganization?> LoadImplementingAsync(this WriteScope scope, Guid id, bool target, CancellationToken ct) => target
        ? scope.LoadTargetAsync<ImplementingOrganization?>(ImplementingOrganization.StreamId(id), null, ImplementingOrganization.Evolve, ct)
        : scope.LoadAsync<ImplementingOrganization?>(ImplementingOrganization.StreamId(id), null, ImplementingOrganization.Evolve, ct);

    private static async Task<IResult> Register(HttpContext http, WriteExecutor writes, TimeProvider clock, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<RegisterImplementingOrganizationRequest>(http, ct);
        var v = new Validation();
        var corporate = v.Parse("corporateNumber", () => CorporateNumber.Parse(r.CorporateNumber));
        var name = v.Text(r.Name, "name");
        var prefecture = v.Parse("prefecture", () => Prefectures.Validate(r.Prefecture));
        var industry = v.Text(r.Industry, "industry", 100);
        var supervisorId = v.Required(r.SupervisingOrganizationId, "supervisingOrganizationId");
        var registeredOn = v.OptionalDate(r.RegisteredOn, "registeredOn");
        v.NotAfterToday(registeredOn, "registeredOn", writes.Today);
        v.ThrowIfInvalid();

        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var command = new RegisterImplementingOrganization(id, corporate, name, prefecture, industry, supervisorId);
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var on = registeredOn ?? scope.Today;
            var state = await scope.LoadImplementingAsync(id, target: true, token);
            var entity = await scope.LoadEntityAsync(corporate, token);
            var supervisor = await scope.LoadSupervisingAsync(supervisorId, target: false, token);
            scope.Append(ImplementingOrganization.StreamId(id), on, ImplementingOrganizationRules.Decide(state, entity, supervisor, on, command));
            return new WriteOutcome(ImplementingOrganization.StreamId(id), id, $"/api/v1/organizations/{id}", Created: true);
        }, ct);
    }

    private static async Task<IResult> Accredit(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<AccreditTrainingPlanRequest>(http, ct);
        var v = new Validation();
        var planNumber = v.Parse("planNumber", () => DocumentNumbers.Plan(r.PlanNumber));
        var type = v.Required(r.Type, "type");
        var trainees = v.Count(r.Trainees, "trainees", 1, 1000);
        var country = v.Parse("sendingCountry", () => Countries.Validate(r.SendingCountry, "sendingCountry"));
        var term = v.Period(r.From, r.To, "from", "to");
        var accreditedOn = v.OptionalDate(r.AccreditedOn, "accreditedOn");
        v.NotAfterToday(accreditedOn, "accreditedOn", writes.Today);
        v.ThrowIfInvalid();

        var command = new AccreditTrainingPlan(planNumber, type, trainees, country, r.SendingOrganizationId, term);
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var on = accreditedOn ?? scope.Today;
            var state = await scope.LoadImplementingAsync(id, target: true, token);
            if (state is null) throw ApiProblemException.NotFound("implementing organization", id);
            var entity = await scope.LoadEntityAsync(CorporateNumber.Parse(state.CorporateNumber), token);
            var supervisor = await scope.LoadSupervisingAsync(state.SupervisingOrganizationId, target: false, token);
            var sender = r.SendingOrganizationId is { } senderId ? await scope.LoadSendingAsync(senderId, target: false, token) : null;
            var moc = sender is null ? null : await scope.LoadMocAsync(sender.Country, token);
            var stream = ImplementingOrganization.StreamId(id);
            scope.Append(stream, term.From, ImplementingOrganizationRules.Decide(state, entity, supervisor, sender, moc, on, command));
            scope.ClaimUnique("Plan accreditation number", planNumber, stream);
            return new WriteOutcome(stream, id, $"/api/v1/organizations/{id}", Created: true);
        }, ct);
    }

    private static async Task<IResult> ChangeSupervisor(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<ChangeSupervisingOrganizationRequest>(http, ct);
        var v = new Validation();
        var to = v.Required(r.SupervisingOrganizationId, "supervisingOrganizationId");
        var effectiveOn = v.Date(r.EffectiveOn, "effectiveOn");
        v.ThrowIfInvalid();
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var state = await scope.LoadImplementingAsync(id, target: true, token);
            var supervisor = await scope.LoadSupervisingAsync(to, target: false, token);
            scope.Append(ImplementingOrganization.StreamId(id), effectiveOn,
                ImplementingOrganizationRules.Decide(state, supervisor, new ChangeSupervisingOrganization(to, effectiveOn)));
            return Outcome(id);
        }, ct);
    }

    private static async Task<IResult> ReportDisappearance(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<ReportDisappearanceRequest>(http, ct);
        var v = new Validation();
        var count = v.Count(r.Count, "count", 1, 1000);
        var reportedOn = v.Date(r.ReportedOn, "reportedOn");
        v.NotAfterToday(reportedOn, "reportedOn", writes.Today);
        var plan = r.PlanNumber is null ? null : v.Parse("planNumber", () => DocumentNumbers.Plan(r.PlanNumber));
        v.ThrowIfInvalid();
        return await Decide(http, writes, r, id, reportedOn, state => ImplementingOrganizationRules.Decide(state, new ReportTraineeDisappearance(count, reportedOn, plan)), ct);
    }

    private static async Task<IResult> SuspendAcceptance(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<SuspendAcceptanceRequest>(http, ct);
        var v = new Validation();
        var period = v.Period(r.From, r.To, "from", "to");
        var reason = v.Text(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();
        return await Decide(http, writes, r, id, period.From,
            state => ImplementingOrganizationRules.Decide(state, new SuspendImplementingOrganizationAcceptance(period, reason)), ct);
    }

    private static async Task<IResult> RevokePlans(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<RevokePlansRequest>(http, ct);
        var v = new Validation();
        var effectiveOn = v.Date(r.EffectiveOn, "effectiveOn");
        v.NotAfterToday(effectiveOn, "effectiveOn", writes.Today);
        if (r.PlanNumbers is { Count: > 500 }) v.Add("planNumbers", "At most 500 plans per request.");
        var plans = r.PlanNumbers?.Select((p, i) => v.Parse($"planNumbers[{i}]", () => DocumentNumbers.Plan(p, $"planNumbers[{i}]"))).ToList();
        var basis = v.Parse("legalBasis", () => LegalBasis.For(Measure.PlanRevocation, r.LegalBasis));
        var reason = v.Text(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();

        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var state = await scope.LoadImplementingAsync(id, target: true, token);
            var (events, disqualification) = ImplementingOrganizationRules.Decide(state, new RevokePlanAccreditations(effectiveOn, plans, basis, reason));
            var entity = CorporateNumber.Parse(disqualification.CorporateNumber);
            await scope.LoadEntityAsync(entity, token);
            scope.Append(ImplementingOrganization.StreamId(id), effectiveOn, events);
            scope.Append(LegalEntity.StreamId(entity), effectiveOn, [disqualification]);
            return Outcome(id);
        }, ct);
    }

    private static Task<IResult> Decide<TRequest>(HttpContext http, WriteExecutor writes, TRequest request, Guid id, DateOnly occurredOn,
        Func<ImplementingOrganization?, object[]> decide, CancellationToken ct) where TRequest : notnull =>
        writes.ExecuteAsync(http, request, async (scope, token) =>
        {
            var state = await scope.LoadImplementingAsync(id, target: true, token);
            scope.Append(ImplementingOrganization.StreamId(id), occurredOn, decide(state));
            return Outcome(id);
        }, ct);

    private static WriteOutcome Outcome(Guid id) => new(ImplementingOrganization.StreamId(id), id, $"/api/v1/organizations/{id}", Created: false);
}
