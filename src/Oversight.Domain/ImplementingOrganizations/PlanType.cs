namespace Oversight.Domain.ImplementingOrganizations;

/// <summary>Technical intern training plan types (Art.8): No.1 (year 1), No.2 (years 2–3), No.3 (years 4–5).</summary>
public enum PlanType
{
    No1,
    No2,
    No3,
}
