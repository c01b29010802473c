using System.Text.RegularExpressions;

namespace Oversight.EventStore;

/// <summary>Schema and table names are interpolated into SQL (values never are): only plain lower-case identifiers pass.</summary>
public static partial class SqlIdentifier
{
    public static string Validate(string name, string parameterName) =>
        name is not null && Pattern().IsMatch(name)
            ? name
            : throw new ArgumentException($"'{name}' is not a valid identifier here: use lower-case letters, digits and underscores.", parameterName);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Pattern();
}
