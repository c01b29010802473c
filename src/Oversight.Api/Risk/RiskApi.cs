using Oversight.Api.Http;
using Oversight.Api.Infrastructure;
using Oversight.Api.Security;
using Oversight.Domain.Common;
using Oversight.ReadModels.Risk;
using Marten;
using Oversight.Persistence.Reading;
using Oversight.ReadModels.Storage;

namespace Oversight.Api.Risk;

/// <summary>Which organizations are at risk and why: flags with the events behind each, scored by configurable weights. No personal data.</summary>
internal static class RiskApi
{
    public static IEndpointRouteBuilder MapRisk(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/organizations/{id:guid}/risk", ForOrganization).WithTags("Risk").RequireAuthorization(Policies.Analyse)
            .WithSummary("An organization's score and flags, each with the events that raised it")
            .Produces<RiskProfile>().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/v1/risk-flags", List).WithTags("Risk").RequireAuthorization(Policies.Analyse)
            .WithSummary("Flagged organizations, highest score first; filters minScore, prefecture, flag, organizationType; paged with limit/offset")
            .Produces<RiskPage>().ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> ForOrganization(Guid id, long? minPosition, IQuerySession session, EventReader reader, ReadModelDatabase readModels,
        ReadYourWrites wait, ReadModelCatalog catalog, RiskOptions options, CancellationToken ct)
    {
        await wait.WaitAsync(RiskProjection.ProjectionName, minPosition, ct);
        var profile = await RiskQueries.ForOrganizationAsync(readModels.DataSource, catalog.Tables(RiskProjection.ProjectionName), options, id, ct);
        if (profile is not null) return Results.Ok(profile);
        // Known but unflagged organizations score 0; unknown ones are 404.
        var known = await ReadModels.History.OrganizationHistory.FindStreamsAsync(session, reader, id, ct) ?? throw ApiProblemException.NotFound("organization", id);
        return Results.Ok(new RiskProfile(id, known.OrganizationType, "", null, true, 0, []));
    }

    private static async Task<IResult> List(double? minScore, string? prefecture, string? flag, string? organizationType, int? limit, int? offset, long? minPosition,
        ReadModelDatabase readModels, ReadYourWrites wait, ReadModelCatalog catalog, RiskOptions options, CancellationToken ct)
    {
        var v = new Validation();
        if (minScore is < 0) v.Add("minScore", "Not negative.");
        if (prefecture is not null) v.Parse("prefecture", () => Prefectures.Validate(prefecture));
        if (flag is not null && !Enum.TryParse<RiskFlag>(flag, ignoreCase: false, out _))
            v.Add("flag", $"One of {string.Join(", ", Enum.GetNames<RiskFlag>())}.");
        if (organizationType is not null and not ("SupervisingOrganization" or "ImplementingOrganization"))
            v.Add("organizationType", "SupervisingOrganization or ImplementingOrganization.");
        if (limit is < 1 or > 500) v.Add("limit", "Between 1 and 500.");
        if (offset is < 0) v.Add("offset", "Not negative.");
        v.ThrowIfInvalid();
        await wait.WaitAsync(RiskProjection.ProjectionName, minPosition, ct);
        var page = limit ?? 50;
        var items = await RiskQueries.ListAsync(readModels.DataSource, catalog.Tables(RiskProjection.ProjectionName), options, minScore, prefecture, flag, organizationType, page, offset ?? 0, ct);
        return Results.Ok(new RiskPage(items, items.Count == page ? (offset ?? 0) + page : null));
    }
}

/// <summary>A page of flagged organizations; pass <c>nextOffset</c> as <c>offset</c> for the next.</summary>
public sealed record RiskPage(IReadOnlyList<RiskProfile> Items, int? NextOffset);
