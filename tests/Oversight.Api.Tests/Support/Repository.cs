namespace Oversight.Api.Tests.Support;

/// <summary>Files of this repository the tests read or run (the committed contracts, the CLI's Release build).</summary>
internal static class Repository
{
    /// <summary>The repository's root, from this file's place in it at compile time.</summary>
    public static string Root { get; } = Path.GetFullPath(Path.Combine(Here(), "..", "..", ".."));

    public static string PathTo(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Here([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
