using Oversight.Domain.Common;
using static Oversight.Domain.Tests.Spec;

namespace Oversight.Domain.Tests;

public sealed class ValueTests
{
    [Theory]
    [InlineData("7000012050002")]
    [InlineData("1180301018771")]
    public void Valid_corporate_numbers_parse(string text) => Assert.Equal(text, CorporateNumber.Parse(text).Value);

    [Theory]
    [InlineData("8000012050002")] // wrong check digit
    [InlineData("700001205000")] // 12 digits
    [InlineData("70000120500021")]
    [InlineData("700001205000a")]
    [InlineData("")]
    [InlineData(null)]
    public void Invalid_corporate_numbers_are_refused(string? text) => Invalid("corporateNumber", () => CorporateNumber.Parse(text));

    [Theory]
    [InlineData("許1708000404", true)]
    [InlineData("許170800040", false)]
    [InlineData("1708000404", false)]
    [InlineData("認1708000404", false)]
    public void Permit_numbers(string text, bool valid)
    {
        if (valid) Assert.Equal(text, DocumentNumbers.Permit(text));
        else Invalid("permitNumber", () => DocumentNumbers.Permit(text));
    }

    [Theory]
    [InlineData("認1711001206", true)]
    [InlineData("変認1809000128", true)]
    [InlineData("変1809000128", false)]
    [InlineData("認17110012061", false)]
    public void Plan_numbers(string text, bool valid)
    {
        if (valid) Assert.Equal(text, DocumentNumbers.Plan(text));
        else Invalid("planNumber", () => DocumentNumbers.Plan(text));
    }

    [Fact]
    public void Prefectures_are_the_47_jis_codes()
    {
        Assert.Equal(47, Prefectures.Codes.Count);
        Assert.Equal("Hokkaido", Prefectures.NameOf("01"));
        Assert.Equal("Tokyo", Prefectures.NameOf("13"));
        Assert.Equal("Okinawa", Prefectures.NameOf("47"));
        foreach (var bad in new[] { "00", "48", "1", "13 ", "Tokyo" }) Invalid("prefecture", () => Prefectures.Validate(bad));
    }

    [Fact]
    public void Countries_are_iso_alpha_2()
    {
        Assert.Equal("VN", Countries.Validate("VN"));
        Assert.Equal("NP", Countries.Validate("NP"));
        foreach (var bad in new[] { "XX", "vn", "VNM", "" }) Invalid("country", () => Countries.Validate(bad));
    }

    [Theory]
    [InlineData(Measure.PermitRevocation, "Art.37(1)(i)")]
    [InlineData(Measure.PermitRevocation, "Art.37(1)(v)")]
    [InlineData(Measure.PlanRevocation, "Art.16(1)(vii)")]
    [InlineData(Measure.BusinessSuspension, "Art.37(3)")]
    [InlineData(Measure.CategoryDowngrade, "Art.37(2)")]
    [InlineData(Measure.ImprovementOrderSupervising, "Art.36")]
    [InlineData(Measure.ImprovementOrderImplementing, "Art.15(1)")]
    public void Legal_bases_that_allow_the_measure(Measure measure, string text) => Assert.Equal(text, LegalBasis.For(measure, text).ToString());

    [Theory]
    [InlineData(Measure.PermitRevocation, "Art.37(1)(vi)")]
    [InlineData(Measure.PermitRevocation, "Art.16(1)(i)")]
    [InlineData(Measure.PlanRevocation, "Art.37(1)(i)")]
    [InlineData(Measure.BusinessSuspension, "Art.37(1)")]
    [InlineData(Measure.ImprovementOrderImplementing, "Art.36")]
    public void Legal_bases_that_do_not(Measure measure, string text) => Rejected("legal-basis-not-applicable", () => LegalBasis.For(measure, text));

    [Theory]
    [InlineData("37(1)(iv)")]
    [InlineData("Art.37(1)(4)")]
    [InlineData("Art 37")]
    public void Malformed_legal_bases(string text) => Invalid("legalBasis", () => LegalBasis.For(Measure.PermitRevocation, text));

    [Fact]
    public void Fiscal_years_turn_on_april_first_in_tokyo()
    {
        Assert.Equal(2022, FiscalYear.Of(D("2023-03-31")));
        Assert.Equal(2023, FiscalYear.Of(D("2023-04-01")));
        Assert.Equal(2022, FiscalYear.Of(D("2022-04-01")));
        // 15:00 UTC on March 31 is already April 1 in Tokyo (UTC+9).
        Assert.Equal(2023, FiscalYear.Of(new DateTimeOffset(2023, 3, 31, 15, 0, 0, TimeSpan.Zero)));
        Assert.Equal(2022, FiscalYear.Of(new DateTimeOffset(2023, 3, 31, 14, 59, 59, TimeSpan.Zero)));
    }

    [Fact]
    public void The_regime_changes_on_2027_04_01()
    {
        Assert.Equal(Regime.Titp, Regimes.On(D("2027-03-31")));
        Assert.Equal(Regime.Esd, Regimes.On(D("2027-04-01")));
    }
}
