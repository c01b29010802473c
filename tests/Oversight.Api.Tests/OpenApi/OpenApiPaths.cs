using System.Text.RegularExpressions;

namespace Oversight.Api.Tests.OpenApi;

/// <summary>Paths compared by shape: route parameters (and the placeholder world's empty ids) written <c>{}</c>, no trailing slash.</summary>
internal static partial class OpenApiPaths
{
    public static string Template(string path) => Parameter().Replace(path, "{}").TrimEnd('/');

    [GeneratedRegex(@"\{[^}]+\}|00000000-0000-0000-0000-000000000000")]
    private static partial Regex Parameter();
}
