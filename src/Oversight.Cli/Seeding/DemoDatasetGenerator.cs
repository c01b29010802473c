using System.Globalization;
using Oversight.Domain.Common;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.Moc;
using Oversight.Domain.SendingOrganizations;

namespace Oversight.Cli.Seeding;

/// <summary>
/// Generates a national history for a profile: every event comes from the domain's <c>Decide</c> functions (a command
/// the rules refuse is dropped, never forced), cross-stream facts (the supervisor's state, the sending organization's
/// suspensions, the legal entity's disqualifications) are passed as of the command's business date. The output depends
/// only on the profile's scale and the seed.
/// </summary>
public sealed partial class DemoDatasetGenerator
{
    private readonly SeedProfile _profile;
    private readonly int _seed;
    private readonly Dictionary<string, int> _permitSerials = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _planSerials = new(StringComparer.Ordinal);
    private readonly HashSet<string> _corporateNumbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(DateOnly Date, object Data)>> _entities = new(StringComparer.Ordinal);
    private readonly List<So> _sos = [];
    private readonly Dictionary<Guid, So> _soById = [];
    private readonly Dictionary<string, List<So>> _sosByPrefecture = new(StringComparer.Ordinal);
    private readonly List<Sender> _senders = [];
    private readonly Dictionary<string, List<Sender>> _sendersByCountry = new(StringComparer.Ordinal);
    private readonly List<Io> _ios = [];
    private readonly List<(string StreamId, List<(DateOnly Date, object Data)> Events)> _inspections = [];
    private readonly List<(string StreamId, List<(DateOnly Date, object Data)> Events)> _orders = [];

    private DemoDatasetGenerator(SeedProfile profile, int seed)
    {
        _profile = profile;
        _seed = seed;
    }

    public static SeedDataset Generate(SeedProfile profile, int seed)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new DemoDatasetGenerator(profile, seed).Run();
    }

    private SeedDataset Run()
    {
        GenerateSendingOrganizations(SeedRandom.For(_seed, 1));
        GenerateSupervisingOrganizations(SeedRandom.For(_seed, 2));
        GenerateImplementingOrganizations(SeedRandom.For(_seed, 3));
        GenerateInspections(SeedRandom.For(_seed, 4));
        CalibrateTrainees(SeedRandom.For(_seed, 5));
        var dataset = Assemble(SeedRandom.For(_seed, 9));
        EnsurePublishedFigures(dataset);
        return dataset;
    }

    /// <summary>The FY2022 figures are the profile's promise: a dataset that misses one is a bug, never written.</summary>
    private void EnsurePublishedFigures(SeedDataset dataset)
    {
        var figures = SeedFigures.Compute(dataset, 2022);
        var expected = new SeedFigures(_profile.SupervisingOrganizationsPermittedAtFy2022End, _profile.SupervisingOrganizationInspections(2022),
            _profile.ImplementingOrganizationInspections(2022), _profile.SupervisingOrganizationRevocations(2022), _profile.PlanRevocations(2022),
            _profile.PlanRevocations(2022), _profile.MocReportsIn(2022), _profile.MocReportsIn(2022), figures.MocReportedCountries);
        if (figures != expected || figures.MocReportedCountries.Count != Math.Min(MocCountries.Count, _profile.MocReportsIn(2022)))
            throw new InvalidOperationException($"The generated dataset misses the FY2022 figures: expected {expected}, got {figures}.");
        var plans = SeedFigures.TrainingPlansAccredited(dataset, SeedProfile.PermittedAt);
        if (plans != _profile.TrainingPlansAccreditedAtFy2022End)
            throw new InvalidOperationException($"The generated dataset has {plans} plans accredited by 2023-03-31, not {_profile.TrainingPlansAccreditedAtFy2022End}.");
        var joint = SeedFigures.JointInspections(dataset, 2022);
        if (joint != (_profile.JointInspectionsIn2022, _profile.JointInspectionOtitOrdersIn2022))
            throw new InvalidOperationException($"The generated dataset has {joint} joint inspections and OTIT orders in them in 2022, not " +
                $"({_profile.JointInspectionsIn2022}, {_profile.JointInspectionOtitOrdersIn2022}).");
    }

    // ---------------------------------------------------------------- reference data

    /// <summary>Sending countries and their shares of accredited plans (FY2021 by nationality; the rest spread plausibly).</summary>
    private static readonly (string Code, double Share, bool Moc)[] SendingCountries =
    [
        ("VN", 53.0, true), ("CN", 13.3, false), ("ID", 12.6, true), ("PH", 7.5, true), ("MM", 4.7, true), ("KH", 2.2, true),
        ("TH", 1.9, true), ("NP", 1.1, false), ("MN", 0.9, true), ("LK", 0.6, true), ("UZ", 0.5, true), ("BD", 0.5, true),
        ("LA", 0.4, true), ("IN", 0.4, true), ("PK", 0.2, true), ("BT", 0.1, true), ("KG", 0.1, false),
    ];

    private static readonly double[] CountryWeights = [.. SendingCountries.Select(c => c.Share)];

    /// <summary>The 14 countries with a memorandum of cooperation in force at 2023-03-31 (ReferenceData/moc-agreements.csv).</summary>
    public static readonly IReadOnlyList<string> MocCountries = ["VN", "KH", "IN", "PH", "LA", "MN", "BD", "LK", "MM", "BT", "UZ", "PK", "TH", "ID"];

    /// <summary>The memoranda shipped as reference data (the seed records them too): reports and named senders follow them.</summary>
    private static readonly Dictionary<string, MocAgreement> Mocs = Oversight.ReadModels.ReferenceData.MocReferenceData.All
        .GroupBy(m => m.Country, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.SelectMany(m => m.Events()).Aggregate((MocAgreement?)null, (s, e) => MocAgreement.Evolve(s, e.Event))!, StringComparer.Ordinal);

    private static MocAgreement? MocWith(string country) => Mocs.GetValueOrDefault(country);

    private static bool MocInForce(string country, DateOnly on) => MocWith(country)?.IsInForceOn(on) ?? false;

    /// <summary>The first day a memorandum with <paramref name="country"/> was in force (after the horizon when there is none).</summary>
    private static DateOnly MocFrom(string country) => MocWith(country)?.Terms[0].InForceFrom ?? DateOnly.MaxValue;

    /// <summary>Rough shares of trainees by prefecture (JIS "01"–"47"): Aichi first, then Osaka, Saitama, Ibaraki, Chiba, Tokyo…</summary>
    private static readonly double[] PrefectureWeights =
    [
        3.0, 0.6, 0.8, 1.2, 0.4, 0.7, 1.2, 4.4, 1.8, 2.4, 4.5, 4.3, 4.0, 3.2, 1.2, 1.6, 1.3, 1.1, 0.5, 1.5, 3.7, 3.4, 9.5, 2.3,
        1.2, 1.2, 5.2, 3.1, 0.6, 0.5, 0.5, 0.6, 2.2, 3.6, 0.9, 0.8, 1.2, 1.8, 0.5, 3.3, 0.7, 0.8, 1.9, 0.8, 0.9, 1.3, 0.5,
    ];

    private static string Prefecture(SeedRandom random) => Prefectures.Codes[random.Weighted(PrefectureWeights)];

    private static int FiscalYearOf(DateOnly date) => FiscalYear.Of(date);

    private static DateOnly DateIn(SeedRandom random, int fiscalYear)
    {
        var (from, to) = SeedProfile.Within(fiscalYear);
        return random.Date(from, to);
    }

    // ---------------------------------------------------------------- numbers

    /// <summary>A valid, unique corporate number: a 12-digit base (office code, type, serial) and its check digit.</summary>
    private string CorporateNumberFor(SeedRandom random, string typeCode)
    {
        while (true)
        {
            var digits = string.Create(CultureInfo.InvariantCulture, $"{random.Between(1000, 9999)}{typeCode}{random.Between(0, 999_999):000000}");
            var number = CheckDigit(digits) + digits;
            if (_corporateNumbers.Add(number)) return number;
        }
    }

    /// <summary>9 − (Σ Pn·Qn mod 9), Pn the n-th digit of the base from the right, Qn 1 for odd n and 2 for even n.</summary>
    public static char CheckDigit(string base12)
    {
        ArgumentNullException.ThrowIfNull(base12);
        var sum = 0;
        for (var n = 1; n <= 12; n++) sum += (base12[12 - n] - '0') * (n % 2 == 1 ? 1 : 2);
        return (char)('0' + (9 - sum % 9));
    }

    /// <summary><c>許</c>/<c>認</c> + yyMM of the grant + a 6-digit serial that rises with gaps within the month.</summary>
    private static string DocumentNumber(SeedRandom random, Dictionary<string, int> serials, string prefix, DateOnly date)
    {
        var month = date.ToString("yyMM", CultureInfo.InvariantCulture);
        var serial = serials.GetValueOrDefault(month) + random.Between(1, 4);
        if (serial > 999_999) throw new InvalidOperationException($"Too many numbers in {month}.");
        serials[month] = serial;
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{month}{serial:000000}");
    }

    private void Disqualify(EntityDisqualified disqualified)
    {
        if (!_entities.TryGetValue(disqualified.CorporateNumber, out var events)) _entities[disqualified.CorporateNumber] = events = [];
        events.Add((disqualified.From, disqualified));
    }

    // ---------------------------------------------------------------- assembly

    private SeedDataset Assemble(SeedRandom random)
    {
        var streams = new List<SeedStream>();
        var numbers = new List<UniqueNumberClaim>();

        void Add(string streamId, List<(DateOnly Date, object Data)> events)
        {
            if (events.Count == 0) return;
            var list = new SeedEvent[events.Count];
            for (var i = 0; i < events.Count; i++) list[i] = new SeedEvent(events[i].Data, events[i].Date, random.Uuid7(events[i].Date));
            streams.Add(new SeedStream(streamId, list));
        }

        foreach (var sender in _senders) Add(SendingOrganization.StreamId(sender.Id), sender.Events);
        foreach (var so in _sos)
        {
            Add(so.StreamId, so.Events);
            numbers.Add(new UniqueNumberClaim(UniqueNumberClaim.PermitNumber, so.PermitNumber, so.StreamId));
        }
        foreach (var (number, events) in _entities.OrderBy(e => e.Key, StringComparer.Ordinal)) Add($"entity-{number}", events);
        foreach (var io in _ios)
        {
            Add(io.StreamId, io.Events);
            foreach (var plan in io.State?.Plans ?? []) numbers.Add(new UniqueNumberClaim(UniqueNumberClaim.PlanNumber, plan.Number, io.StreamId));
        }
        foreach (var (streamId, events) in _inspections) Add(streamId, events);
        foreach (var (streamId, events) in _orders) Add(streamId, events);
        return new SeedDataset(streams, numbers);
    }
}
