namespace Oversight.Cli.Seeding;

/// <summary>
/// The figures a profile reproduces. <c>fy2022</c>: a national history from the Act's entry into force (2017-11-01)
/// to the end of FY2025 (2026-03-31), exact on the published FY2022 figures; other years use the published figures
/// where known (revocations FY2018–FY2020, inspections FY2023–FY2024) and plausible ones elsewhere.
/// Every figure is multiplied by the scale and rounded (half away from zero), never below 0.
/// </summary>
public sealed class SeedProfile
{
    public static readonly DateOnly Start = new(2017, 11, 1);
    public static readonly DateOnly End = new(2026, 3, 31);
    public static readonly DateOnly PermittedAt = new(2023, 3, 31);
    public const int FirstFiscalYear = 2017;
    public const int LastFiscalYear = 2025;

    public static readonly IReadOnlyList<string> Names = ["fy2022"];

    private SeedProfile(double scale) => Scale = scale;

    public double Scale { get; }

    public static SeedProfile Fy2022(double scale)
    {
        if (!(scale > 0 && scale <= 2.0)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale is a number in (0, 2].");
        return new SeedProfile(scale);
    }

    public int Scaled(double value) => Math.Max(0, (int)Math.Round(value * Scale, MidpointRounding.AwayFromZero));

    private int ByYear(int[] values, int fiscalYear) => Scaled(values[fiscalYear - FirstFiscalYear]);

    // FY:                                        2017  2018  2019  2020  2021  2022  2023  2024  2025
    private static readonly int[] SoRevocations = [0, 1, 4, 13, 10, 12, 11, 9, 8];
    private static readonly int[] IoRevocations = [0, 8, 23, 77, 96, 114, 120, 105, 100];
    private static readonly int[] SoInspections = [400, 2_500, 3_400, 2_900, 4_200, 4_633, 4_537, 4_457, 4_400];
    private static readonly int[] IoInspections = [1_500, 12_000, 16_500, 14_500, 19_800, 22_032, 21_616, 21_241, 21_000];
    private static readonly int[] MocReports = [0, 12, 35, 48, 70, 93, 88, 80, 75];
    private static readonly int[] SoAbolitions = [0, 25, 28, 30, 28, 28, 30, 28, 26];
    private static readonly int[] SoNewAfterFy2022 = [0, 0, 0, 0, 0, 0, 70, 60, 55];

    /// <summary>Supervising organizations permitted at 2023-03-31 (registered with PermitFrom ≤ that date, not revoked or abolished by it).</summary>
    public int SupervisingOrganizationsPermittedAtFy2022End => Scaled(3_632);

    /// <summary>How the organizations permitted at 2023-03-31 were first permitted, by fiscal year 2017–2022.</summary>
    public static readonly IReadOnlyList<double> PermittedRegistrationShares = [0.42, 0.18, 0.13, 0.10, 0.09, 0.08];

    public int SupervisingOrganizationRevocations(int fiscalYear) => ByYear(SoRevocations, fiscalYear);
    public int PlanRevocations(int fiscalYear) => ByYear(IoRevocations, fiscalYear);
    public int SupervisingOrganizationInspections(int fiscalYear) => ByYear(SoInspections, fiscalYear);
    public int ImplementingOrganizationInspections(int fiscalYear) => ByYear(IoInspections, fiscalYear);
    public int MocReportsIn(int fiscalYear) => ByYear(MocReports, fiscalYear);
    public int SupervisingOrganizationAbolitions(int fiscalYear) => ByYear(SoAbolitions, fiscalYear);
    public int SupervisingOrganizationsNewAfterFy2022(int fiscalYear) => ByYear(SoNewAfterFy2022, fiscalYear);

    public int ImplementingOrganizations => Scaled(64_000);

    /// <summary>Training plans accredited since the start, cumulative at 2023-03-31, one plan per trainee (1,493,156, preliminary).</summary>
    public int TrainingPlansAccreditedAtFy2022End => Scaled(1_493_156);

    /// <summary>Joint inspections of implementing organizations with Labour Standards Inspection Offices in calendar 2022 (41).</summary>
    public int JointInspectionsIn2022 => Scaled(41);

    /// <summary>The correction orders OTIT issued in those joint inspections in calendar 2022 (31).</summary>
    public int JointInspectionOtitOrdersIn2022 => Scaled(31);

    /// <summary>Implementing organizations' first registrations by fiscal year 2017–2025 (FY2017: the transition from the old system).</summary>
    public static readonly IReadOnlyList<double> ImplementingRegistrationShares = [0.25, 0.14, 0.12, 0.10, 0.09, 0.09, 0.08, 0.07, 0.06];

    public int SendingOrganizations => Scaled(1_500);

    public static DateOnly FiscalYearStart(int fiscalYear) => new(fiscalYear, 4, 1);
    public static DateOnly FiscalYearEnd(int fiscalYear) => new(fiscalYear + 1, 3, 31);

    /// <summary>The part of a fiscal year inside the seeded history (FY2017 starts with the Act, 2017-11-01).</summary>
    public static (DateOnly From, DateOnly To) Within(int fiscalYear) =>
        (Max(FiscalYearStart(fiscalYear), Start), Min(FiscalYearEnd(fiscalYear), End));

    internal static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
    internal static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
