namespace Oversight.Domain.Common;

/// <summary>
/// The legal regime a permit or plan was granted under: the Technical Intern Training Program, or Employment
/// for Skill Development, which replaces it from 2027-04-01. Stored on permits and plans so the new regime
/// needs no migration of past events.
/// </summary>
public enum Regime
{
    Titp,
    Esd,
}

public static class Regimes
{
    public static readonly DateOnly EsdInForce = new(2027, 4, 1);

    /// <summary>The regime in force on a business date.</summary>
    public static Regime On(DateOnly date) => date >= EsdInForce ? Regime.Esd : Regime.Titp;
}
