using Marten;
using Oversight.Api.Http;
using Oversight.Api.Security;
using Oversight.Api.Writes;
using Oversight.Domain.Common;
using Oversight.Domain.Moc;
using Oversight.Persistence.Reading;

namespace Oversight.Api.Moc;

/// <summary>Japan's Memoranda of Cooperation by country, as dated facts: recorded by officers, read by everyone who works with MOC reports.</summary>
internal static class MocApi
{
    internal static Task<MocAgreement?> LoadMocAsync(this WriteScope scope, string country, CancellationToken ct) =>
        scope.LoadAsync<MocAgreement?>(MocAgreement.StreamId(country), null, MocAgreement.Evolve, ct);

    public static IEndpointRouteBuilder MapMoc(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/moc-agreements").WithTags("Memoranda of Cooperation");
        group.MapGet("/{country}", Get).RequireAuthorization(Policies.Audit).WithSummary("The memoranda with one country (ISO 3166-1 alpha-2), with their dates")
            .Produces<MocAgreement>().ProducesProblem(StatusCodes.Status404NotFound);
        var writes = group.MapGroup("").RequireAuthorization(Policies.Officiate);
        writes.MapPost("/", Sign).Write(SignMocRequest.Example, created: true)
            .WithSummary("Record a memorandum signed with a country; reports and plans under it are accepted from its entry into force");
        writes.MapPost("/{country}/end", End).Write(EndMocRequest.Example).WithSummary("Record the end of the memorandum in force with a country");
        app.MapGet("/api/v1/moc-countries", Countries).WithTags("Memoranda of Cooperation").RequireAuthorization(Policies.Analyse)
            .WithSummary("The countries with a memorandum in force on a date (asOf, default today in Tokyo)")
            .Produces<MocCountries>().ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> Get(string country, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        var v = new Validation();
        var code = v.Parse("country", () => Domain.Common.Countries.Validate(country));
        v.ThrowIfInvalid();
        var (state, version) = await EventReader.FoldAsync<MocAgreement?>(session, MocAgreement.StreamId(code), null, MocAgreement.Evolve, cancellationToken: ct);
        if (state is null) throw ApiProblemException.NotFound("memorandum with", code);
        http.Response.Headers.ETag = WriteExecutor.ETag(version);
        return Results.Ok(state);
    }

    private static async Task<IResult> Sign(HttpContext http, WriteExecutor writes, TimeProvider clock, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<SignMocRequest>(http, ct);
        var v = new Validation();
        var country = v.Parse("country", () => Domain.Common.Countries.Validate(r.Country));
        var signedOn = v.Date(r.SignedOn, "signedOn");
        v.NotAfterToday(signedOn, "signedOn", writes.Today);
        var inForceFrom = v.Date(r.InForceFrom, "inForceFrom");
        var source = v.OptionalText(r.Source, "source", 500);
        v.ThrowIfInvalid();
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var stream = MocAgreement.StreamId(country);
            var state = await scope.LoadTargetAsync<MocAgreement?>(stream, null, MocAgreement.Evolve, token);
            scope.Append(stream, signedOn, MocRules.Decide(state, new SignMoc(id, country, signedOn, inForceFrom, source)));
            return new WriteOutcome(stream, id, $"/api/v1/moc-agreements/{country}", Created: true);
        }, ct);
    }

    private static async Task<IResult> End(string country, HttpContext http, WriteExecutor writes, CancellationToken ct)
    {
        var r = await JsonBody.ReadAsync<EndMocRequest>(http, ct);
        var v = new Validation();
        var code = v.Parse("country", () => Domain.Common.Countries.Validate(country));
        var endedOn = v.Date(r.EndedOn, "endedOn");
        v.NotAfterToday(endedOn, "endedOn", writes.Today);
        var reason = v.Text(r.Reason, "reason", 2000);
        v.ThrowIfInvalid();
        return await writes.ExecuteAsync(http, r, async (scope, token) =>
        {
            var stream = MocAgreement.StreamId(code);
            var state = await scope.LoadTargetAsync<MocAgreement?>(stream, null, MocAgreement.Evolve, token)
                ?? throw ApiProblemException.NotFound("memorandum with", code);
            scope.Append(stream, endedOn, MocRules.Decide(state, new EndMoc(endedOn, reason)));
            return new WriteOutcome(stream, state.Terms[^1].Id, $"/api/v1/moc-agreements/{code}", Created: false);
        }, ct);
    }

    private static async Task<IResult> Countries(DateOnly? asOf, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var on = asOf ?? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), FiscalYear.Tokyo).DateTime);
        var countries = new List<MocCountry>();
        foreach (var agreement in await ReadModels.ReferenceData.MocAgreements.AllAsync(session, ct))
            if (agreement.TermOn(on) is { } term) countries.Add(new MocCountry(agreement.Country, term.SignedOn, term.InForceFrom));
        return Results.Ok(new MocCountries(on, countries, countries.Count));
    }
}
