using System.ComponentModel.DataAnnotations;
namespace Oversight.Api.Organizations;

/// <summary>A ban on accepting new trainees for a period (supervising, implementing and sending organizations alike).</summary>
public sealed record SuspendAcceptanceRequest([Required] DateOnly? From, [Required] DateOnly? To, [Required, StringLength(2000)] string? Reason)
{
    internal static readonly SuspendAcceptanceRequest Example = new(new(2023, 9, 1), new(2024, 2, 29), "Trainees disappeared at more than three times the average rate.");
}
