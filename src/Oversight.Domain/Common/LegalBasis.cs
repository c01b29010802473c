using System.Text.RegularExpressions;

namespace Oversight.Domain.Common;

/// <summary>The measures the Act allows, each with the provisions it may rest on.</summary>
public enum Measure
{
    PermitRevocation,
    PlanRevocation,
    ImprovementOrderSupervising,
    ImprovementOrderImplementing,
    BusinessSuspension,
    CategoryDowngrade,
}

/// <summary>A provision of the Act, written <c>Art.&lt;article&gt;(&lt;paragraph&gt;)(&lt;item&gt;)</c>, e.g. <c>Art.37(1)(iv)</c>.</summary>
public sealed partial record LegalBasis(int Article, int? Paragraph, int? Item)
{
    private static readonly string[] Romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];

    public override string ToString() =>
        $"Art.{Article}{(Paragraph is { } p ? $"({p})" : "")}{(Item is { } i ? $"({Romans[i - 1]})" : "")}";

    /// <summary>The pattern a provision matches: Art.&lt;article&gt;(&lt;paragraph&gt;)(&lt;item&gt;), paragraph and item optional.</summary>
    public const string Format = "^" + Shape + "$";

    private const string Shape = @"Art\.([0-9]{1,3})(?:\(([0-9]{1,2})\))?(?:\((i|ii|iii|iv|v|vi|vii|viii|ix|x)\))?";

    /// <summary>Parses the text and checks that <paramref name="measure"/> may rest on it.</summary>
    public static LegalBasis For(Measure measure, string? text, string field = "legalBasis")
    {
        var basis = Parse(text, field);
        if (!Allows(measure, basis))
            throw new RuleViolation("legal-basis-not-applicable", $"{basis} does not allow {Describe(measure)}; allowed: {Allowed(measure)}.", field);
        return basis;
    }

    /// <summary>Parses any provision (e.g. the one a finding cites), without checking what it may ground.</summary>
    public static LegalBasis Parse(string? text, string field = "legalBasis")
    {
        var match = text is null ? null : Pattern().Match(text);
        if (match is null || !match.Success)
            throw new InvalidValue(field, $"'{text}' is not a legal basis: write Art.<article>(<paragraph>)(<item>), e.g. Art.37(1)(iv).");
        var basis = new LegalBasis(
            int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            match.Groups[2].Success ? int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
            match.Groups[3].Success ? Array.IndexOf(Romans, match.Groups[3].Value) + 1 : null);
        return basis;
    }

    private static bool Allows(Measure measure, LegalBasis b) => measure switch
    {
        Measure.PermitRevocation => b is { Article: 37, Paragraph: 1, Item: >= 1 and <= 5 },
        Measure.PlanRevocation => b is { Article: 16, Paragraph: 1, Item: >= 1 and <= 7 },
        Measure.ImprovementOrderSupervising => b.Article == 36 && b.Item is null,
        Measure.ImprovementOrderImplementing => b.Article == 15 && b.Item is null,
        Measure.BusinessSuspension => b is { Article: 37, Paragraph: 3, Item: null },
        Measure.CategoryDowngrade => b is { Article: 37, Paragraph: 2, Item: null },
        _ => false,
    };

    private static string Allowed(Measure measure) => measure switch
    {
        Measure.PermitRevocation => "Art.37(1)(i)–(v)",
        Measure.PlanRevocation => "Art.16(1)(i)–(vii)",
        Measure.ImprovementOrderSupervising => "Art.36 or Art.36(n)",
        Measure.ImprovementOrderImplementing => "Art.15 or Art.15(n)",
        Measure.BusinessSuspension => "Art.37(3)",
        _ => "Art.37(2)",
    };

    private static string Describe(Measure measure) => measure switch
    {
        Measure.PermitRevocation => "a permit revocation",
        Measure.PlanRevocation => "a plan accreditation revocation",
        Measure.ImprovementOrderSupervising => "an improvement order to a supervising organization",
        Measure.ImprovementOrderImplementing => "an improvement order to an implementing organization",
        Measure.BusinessSuspension => "a business suspension",
        _ => "an ex-officio category downgrade",
    };

    // \A…\z: in .NET, $ also matches before a final newline, which the contract (ECMA-262) does not allow.
    [GeneratedRegex(@"\A" + Shape + @"\z")]
    private static partial Regex Pattern();
}
