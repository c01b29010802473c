namespace Oversight.ReadModels.Risk;

/// <summary>The risk flags of design §5.</summary>
public enum RiskFlag
{
    InspectionOverdue,
    CorrectionOverdue,
    RepeatViolations,
    TraffickingIndicator,
    Disappearances,
    SupervisorSanctioned,
    SendingOrganizationReported,
    Disqualified,
}

public enum RiskLevel
{
    Info,
    Warn,
    High,
}

/// <summary>
/// Section <c>Risk</c>. Thresholds decide which flags are raised (changing them takes a rebuild of the
/// <c>risk</c> projection); weights only score flags at query time (no rebuild).
/// </summary>
public sealed class RiskOptions
{
    /// <summary>Disappeared trainees over trainees in accredited plans at which Disappearances is raised (warn), and high.</summary>
    public double DisappearanceRateWarn { get; set; } = 0.05;
    public double DisappearanceRateHigh { get; set; } = 0.15;

    /// <summary>Findings in two or more inspections within this many years raise RepeatViolations (three or more: high).</summary>
    public int RepeatViolationYears { get; set; } = 3;

    /// <summary>Score of each flag at level Warn; Info counts half, High one and a half.</summary>
    public Dictionary<string, double> Weights { get; set; } = new()
    {
        [nameof(RiskFlag.TraffickingIndicator)] = 30,
        [nameof(RiskFlag.Disqualified)] = 30,
        [nameof(RiskFlag.Disappearances)] = 20,
        [nameof(RiskFlag.CorrectionOverdue)] = 15,
        [nameof(RiskFlag.RepeatViolations)] = 15,
        [nameof(RiskFlag.SupervisorSanctioned)] = 15,
        [nameof(RiskFlag.InspectionOverdue)] = 10,
        [nameof(RiskFlag.SendingOrganizationReported)] = 10,
    };

    public Dictionary<string, double> LevelFactors { get; set; } = new()
    {
        [nameof(RiskLevel.Info)] = 0.5,
        [nameof(RiskLevel.Warn)] = 1.0,
        [nameof(RiskLevel.High)] = 1.5,
    };

    public double WeightOf(string flag) => Weights.GetValueOrDefault(flag, 10);
}
