using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using Marten;
using Oversight.Domain.Moc;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;

namespace Oversight.ReadModels.ReferenceData;

/// <summary>One row of <c>moc-agreements.csv</c>: a memorandum with its dates and the source that states them.</summary>
public sealed record MocReference(string Country, string Name, DateOnly SignedOn, DateOnly InForceFrom, DateOnly? EndedOn, string DateBasis, string Source)
{
    /// <summary>The same id wherever the row is loaded (seed, migrate, first start), so every store records the same facts.</summary>
    public Guid Id
    {
        get
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"moc|{Country}|{SignedOn:yyyy-MM-dd}"));
            hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: name-based, application-defined
            hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
            return new Guid(hash.AsSpan(0, 16), bigEndian: true);
        }
    }

    public IReadOnlyList<(DateOnly On, object Event)> Events() => EndedOn is { } ended
        ? [(SignedOn, new MocSigned(Id, Country, SignedOn, InForceFrom, Source)), (ended, new MocEnded(ended, "Ended (reference data)."))]
        : [(SignedOn, new MocSigned(Id, Country, SignedOn, InForceFrom, Source))];
}

/// <summary>
/// The Memoranda of Cooperation shipped with the service (<c>ReferenceData/moc-agreements.csv</c>, with the sources of their dates),
/// recorded as events in the <c>moc-{country}</c> streams of a store that has none yet.
/// </summary>
public static class MocReferenceData
{
    public const string Actor = "system:reference-data";

    public static IReadOnlyList<MocReference> All { get; } = Load();

    private static List<MocReference> Load()
    {
        using var stream = typeof(MocReferenceData).Assembly.GetManifestResourceStream("moc-agreements.csv")
            ?? throw new InvalidOperationException("The embedded resource moc-agreements.csv is missing.");
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { CommentPrefix = '#', HasHeader = true }, false);
        static DateOnly Date(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rows = new List<MocReference>();
        while (csv.Read())
        {
            var ended = csv.GetString("ended_on");
            rows.Add(new MocReference(csv.GetString("country"), csv.GetString("name"), Date(csv.GetString("signed_on")), Date(csv.GetString("in_force_from")),
                string.IsNullOrEmpty(ended) ? null : Date(ended), csv.GetString("date_basis"), csv.GetString("source")));
        }
        return rows;
    }

    private static async Task<bool> ExistsAsync(IDocumentStore store, string stream, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.Events.FetchStreamStateAsync(stream, cancellationToken) is not null;
    }

    /// <summary>Records the memoranda of every country that has no <c>moc-</c> stream yet (one query finds them); returns how many countries were recorded.</summary>
    public static async Task<int> EnsureRecordedAsync(IDocumentStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        var recorded = 0;
        var metadata = new AppendMetadata { ActorId = Actor, ActorRole = "system" };
        HashSet<string> known;
        await using (var query = store.QuerySession())
            known = [.. (await MocAgreements.AllAsync(query, cancellationToken)).Select(a => a.Country)];
        // A country's rows (a memorandum, an ended one and its successor…) start its stream together, in date order.
        foreach (var country in All.Where(m => !known.Contains(m.Country)).GroupBy(m => m.Country, StringComparer.Ordinal))
        {
            await using var session = store.LightweightSession();
            var stream = MocAgreement.StreamId(country.Key);
            session.AppendChained(stream, ChainHead.Empty,
                [.. country.OrderBy(m => m.SignedOn).SelectMany(m => m.Events()).Select(e => new PendingEvent(e.Event, e.On))], metadata, clock.GetUtcNow());
            try
            {
                await session.SaveChangesAsync(cancellationToken);
                recorded++;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Another node may have recorded it first (the append found the stream started): that is the same fact.
                if (!await ExistsAsync(store, stream, cancellationToken)) throw;
            }
        }
        return recorded;
    }
}
