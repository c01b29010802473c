namespace Oversight.Domain.Moc;

/// <summary>One memorandum: in force from <see cref="InForceFrom"/> until <see cref="EndedOn"/> (exclusive), if it ended.</summary>
public sealed record MocTerm(Guid Id, DateOnly SignedOn, DateOnly InForceFrom, DateOnly? EndedOn, string? Source)
{
    public bool IsInForceOn(DateOnly date) => date >= InForceFrom && (EndedOn is not { } ended || date < ended);
}

/// <summary>Japan's memoranda with one country over time, folded from <c>moc-{country}</c>.</summary>
public sealed record MocAgreement(string Country, IReadOnlyList<MocTerm> Terms)
{
    public static string StreamId(string country) => $"moc-{country}";

    public static MocAgreement? Evolve(MocAgreement? state, object e) => (state, e) switch
    {
        (null, MocSigned s) => new MocAgreement(s.Country, [new MocTerm(s.MocId, s.SignedOn, s.InForceFrom, null, s.Source)]),
        (not null, MocSigned s) => state with { Terms = [.. state.Terms, new MocTerm(s.MocId, s.SignedOn, s.InForceFrom, null, s.Source)] },
        (not null, MocEnded x) => state with { Terms = [.. state.Terms.Take(state.Terms.Count - 1), state.Terms[^1] with { EndedOn = x.EndedOn }] },
        _ => state,
    };

    public bool IsInForceOn(DateOnly date) => Terms.Any(t => t.IsInForceOn(date));

    /// <summary>The term in force on <paramref name="date"/>, if any.</summary>
    public MocTerm? TermOn(DateOnly date) => Terms.FirstOrDefault(t => t.IsInForceOn(date));
}
