using Oversight.Api.Http;
using Oversight.Api.Security;
using Oversight.Api.Writes;
using Oversight.Domain.Common;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.SupervisingOrganizations;

namespace Oversight.Api.SupervisingOrganizations;

/// <summary>Officers register supervising organizations and take measures against them.</summary>
internal static class SupervisingOrganizationsApi
{
    public static RouteGroupBuilder MapSupervisingOrganizations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/supervising-organizations").WithTags("Supervising organizations").RequireAuthorization(Policies.Officiate);
        group.MapPost("/", Register).Write(RegisterSupervisingOrganizationRequest.Example, created: true).WithSummary("Register a supervising organization and its permit");
        group.MapPost("/{id:guid}/revocation", Revoke).Write(RevokePermitRequest.Example).WithSummary("Revoke the permit (Art.37(1)); disqualifies the legal entity for 5 years");
        group.MapPost("/{id:guid}/business-suspensions", SuspendBusiness).Write(SuspendBusinessRequest.Example).WithSummary("Suspend the business for a period (Art.37(3))");
        group.MapPost("/{id:guid}/revocation-hearing", NoticeHearing).Write(RevocationHearingRequest.Example).WithSummary("Record the notice of a revocation hearing");
        group.MapPost("/{id:guid}/acceptance-suspensions", SuspendAcceptance).Write(Organizations.SuspendAcceptanceRequest.Example)
            .WithSummary("Suspend the acceptance of new trainees for a period");
        group.MapPost("/{id:guid}/renewal", Renew).Write(RenewPermitRequest.Example).WithSummary("Renew the permit (5 years, 7 when rated excellent; Specified 3/5)");
        group.MapPost("/{id:guid}/category-downgrade", Downgrade).Write(DowngradeCategoryRequest.Example)
            .WithSummary("Downgrade General to Specified ex officio (Art.37(2)); published");
        group.MapPost("/{id:guid}/category", ChangeCategory).Write(ChangeCategoryRequest.Example).WithSummary("Change the permit category on application");
        group.MapPost("/{id:guid}/abolition", Abolish).Write(AbolishBusinessRequest.Example).WithSummary("Record the abolition of the business (after a hearing notice it still disqualifies)");
        return group;
    }

    internal static Task<SupervisingOrganization?> LoadSupervisingAsync(this WriteScope scope, Guid id, bool target, CancellationToken ct) => target
        ? scope.LoadTargetAsync<SupervisingOrganization?>(SupervisingOrganization.StreamId(id), null, SupervisingOrganization.Evolve, ct)
        : scope.LoadAsync<SupervisingOrganization?>(SupervisingOrganization.StreamId(id), null, SupervisingOrganization.Evolve, ct);

    internal static Task<LegalEntity> LoadEntityAsync(this WriteScope scope, CorporateNumber number, CancellationToken ct) =>
        scope.LoadAsync(LegalEntity.StreamId(number), LegalEntity.None, (entity, e) => entity.Apply(e), ct);

    private static async Task<IResult> Register(HttpContext http, WriteExecutor writes, TimeProvider clock, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<RegisterSupervisingOrganizationRequest>(http, ct);
        var v = new Validation();
        var permitNumber = v.Parse("permitNumber", () => DocumentNumbers.Permit(r.PermitNumber));
        var corporate = v.Parse("corporateNumber", () => CorporateNumber.Parse(r.CorporateNumber));
        var name = v.Text(r.Name, "name");
        var prefecture = v.Parse("prefecture", () => Prefectures.Validate(r.Prefecture));
        var category = v.Required(r.Category, "category");
        var permit = v.Period(r.PermitFrom, r.PermitTo, "permitFrom", "permitTo");
        v.ThrowIfInvalid();

        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var command = new RegisterSupervisingOrganization(id, permitNumber, corporate, name, prefecture, category, permit);
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var state = await scope.LoadSupervisingAsync(id, target: true, token);
            var entity = await scope.LoadEntityAsync(corporate, token);
            var stream = SupervisingOrganization.StreamId(id);
            scope.Append(stream, permit.From, SupervisingOrganizationRules.Decide(state, entity, command));
            scope.ClaimUnique("Permit number", permitNumber, stream);
            return new WriteOutcome(stream, id, $"/api/v1/organizations/{id}", Created: true);
        }, ct);
    }

    private static async Task<IResult> Revoke(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<RevokePermitRequest>(http, ct);
        var v = new Validation();
        var effectiveOn = v.Date(r.EffectiveOn, "effectiveOn");
        v.NotAfterToday(effectiveOn, "effectiveOn", writes.Today);
        var basis = v.Parse("legalBasis", () => LegalBasis.For(Measure.PermitRevocation, r.LegalBasis));
        var reason = v.Text(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();

        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var state = await scope.LoadSupervisingAsync(id, target: true, token);
            var (events, disqualification) = SupervisingOrganizationRules.Decide(state, new RevokePermit(effectiveOn, basis, reason));
            await scope.LoadEntityAsync(CorporateNumber.Parse(disqualification.CorporateNumber), token);
            scope.Append(SupervisingOrganization.StreamId(id), effectiveOn, events);
            scope.Append(LegalEntity.StreamId(CorporateNumber.Parse(disqualification.CorporateNumber)), effectiveOn, [disqualification]);
            return Outcome(id);
        }, ct);
    }

    private static async Task<IResult> SuspendBusiness(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<SuspendBusinessRequest>(http, ct);
        var v = new Validation();
        var period = v.Period(r.From, r.To, "from", "to");
        var basis = v.Parse("legalBasis", () => LegalBasis.For(Measure.BusinessSuspension, r.LegalBasis));
        var reason = v.Text(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();

        return await Decide(http, writes, r, id, period.From,
            state => SupervisingOrganizationRules.Decide(state, new SuspendBusiness(period, r.Partial ?? false, basis, reason)), ct);
    }

    private static async Task<IResult> SuspendAcceptance(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<Organizations.SuspendAcceptanceRequest>(http, ct);
        var v = new Validation();
        var period = v.Period(r.From, r.To, "from", "to");
        var reason = v.Text(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();
        return await Decide(http, writes, r, id, period.From, state => SupervisingOrganizationRules.Decide(state, new SuspendAcceptance(period, reason)), ct);
    }

    private static async Task<IResult> Renew(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<RenewPermitRequest>(http, ct);
        var v = new Validation();
        var permit = v.Period(r.PermitFrom, r.PermitTo, "permitFrom", "permitTo");
        v.ThrowIfInvalid();
        return await Decide(http, writes, r, id, permit.From, state => SupervisingOrganizationRules.Decide(state, new RenewPermit(permit, r.RatedExcellent ?? false)), ct);
    }

    private static async Task<IResult> Downgrade(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<DowngradeCategoryRequest>(http, ct);
        var v = new Validation();
        var effectiveOn = v.Date(r.EffectiveOn, "effectiveOn");
        var basis = v.Parse("legalBasis", () => LegalBasis.For(Measure.CategoryDowngrade, r.LegalBasis));
        var reason = v.Text(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();
        return await Decide(http, writes, r, id, effectiveOn, state => SupervisingOrganizationRules.Decide(state, new DowngradeCategory(effectiveOn, basis, reason)), ct);
    }

    private static async Task<IResult> ChangeCategory(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<ChangeCategoryRequest>(http, ct);
        var v = new Validation();
        var category = v.Required(r.Category, "category");
        var effectiveOn = v.Date(r.EffectiveOn, "effectiveOn");
        v.ThrowIfInvalid();
        return await Decide(http, writes, r, id, effectiveOn, state => SupervisingOrganizationRules.Decide(state, new Domain.SupervisingOrganizations.ChangeCategory(category, effectiveOn)), ct);
    }

    private static Task<IResult> Decide<TRequest>(HttpContext http, WriteExecutor writes, TRequest request, Guid id, DateOnly occurredOn,
        Func<SupervisingOrganization?, object[]> decide, CancellationToken ct) where TRequest : notnull =>
        writes.ExecuteAsync(http, request, async (scope, token) =>
        {
            var state = await scope.LoadSupervisingAsync(id, target: true, token);
            scope.Append(SupervisingOrganization.StreamId(id), occurredOn, decide(state));
            return Outcome(id);
        }, ct);

    private static async Task<IResult> NoticeHearing(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<RevocationHearingRequest>(http, ct);
        var v = new Validation();
        var noticedOn = v.Date(r.NoticedOn, "noticedOn");
        v.NotAfterToday(noticedOn, "noticedOn", writes.Today);
        v.ThrowIfInvalid();

        return await Decide(http, writes, r, id, noticedOn, state => SupervisingOrganizationRules.Decide(state, new NoticeRevocationHearing(noticedOn)), ct);
    }

    private static async Task<IResult> Abolish(Guid id, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<AbolishBusinessRequest>(http, ct);
        var v = new Validation();
        var effectiveOn = v.Date(r.EffectiveOn, "effectiveOn");
        v.NotAfterToday(effectiveOn, "effectiveOn", writes.Today);
        v.ThrowIfInvalid();

        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var state = await scope.LoadSupervisingAsync(id, target: true, token);
            var (events, disqualification) = SupervisingOrganizationRules.Decide(state, new AbolishBusiness(effectiveOn));
            scope.Append(SupervisingOrganization.StreamId(id), effectiveOn, events);
            if (disqualification is not null)
            {
                var entity = CorporateNumber.Parse(disqualification.CorporateNumber);
                await scope.LoadEntityAsync(entity, token);
                scope.Append(LegalEntity.StreamId(entity), effectiveOn, [disqualification]);
            }
            return Outcome(id);
        }, ct);
    }

    private static WriteOutcome Outcome(Guid id) => new(SupervisingOrganization.StreamId(id), id, $"/api/v1/organizations/{id}", Created: false);
}
