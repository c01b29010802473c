using Oversight.Api.Http;
using Oversight.Api.Infrastructure;
using Oversight.ReadModels.PublicSanctions;
using Oversight.ReadModels.Storage;

namespace Oversight.Api.PublicSanctions;

/// <summary>The register the Act requires to be public (Arts.15(2), 16(2), 37(4)): no token, no personal data.</summary>
internal static class PublicSanctionsApi
{
    public static RouteHandlerBuilder MapPublicSanctions(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/public/sanctions", List).AllowAnonymous().RequireRateLimiting(Security.Hardening.AnonymousPolicy).WithTags("Public register")
            .WithSummary("Published orders, suspensions, downgrades and revocations, newest first")
            .Produces<SanctionPage>().ProducesValidationProblem();

    private static async Task<IResult> List(int? fromFiscalYear, int? toFiscalYear, SanctionType? type, int? limit, long? before, long? minPosition,
        ReadModelDatabase readModels, ReadYourWrites wait, ReadModelCatalog catalog, CancellationToken ct)
    {
        var v = new Validation();
        if (fromFiscalYear is < 2000 or > 2099) v.Add("fromFiscalYear", "A fiscal year between 2000 and 2099.");
        if (toFiscalYear is < 2000 or > 2099) v.Add("toFiscalYear", "A fiscal year between 2000 and 2099.");
        if (fromFiscalYear > toFiscalYear) v.Add("toFiscalYear", "Must not be before fromFiscalYear.");
        if (limit is < 1 or > 500) v.Add("limit", "Between 1 and 500.");
        v.ThrowIfInvalid();
        await wait.WaitAsync(PublicSanctionsProjection.ProjectionName, minPosition, ct);
        var rows = await PublicSanctionQueries.ListAsync(readModels.DataSource, catalog.Tables(PublicSanctionsProjection.ProjectionName), fromFiscalYear, toFiscalYear, type, limit ?? 100, before, ct);
        return Results.Ok(new SanctionPage(rows, rows.Count == (limit ?? 100) ? rows[^1].Position : null));
    }
}

/// <summary>A page of the register; pass <c>next</c> as <c>before</c> for the following page.</summary>
public sealed record SanctionPage(IReadOnlyList<PublicSanction> Items, long? Next);
