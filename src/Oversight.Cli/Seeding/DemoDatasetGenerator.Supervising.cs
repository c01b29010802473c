using Oversight.Domain.Common;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.SupervisingOrganizations;

namespace Oversight.Cli.Seeding;

public sealed partial class DemoDatasetGenerator
{
    private enum Ending
    {
        None,
        Revoked,
        Abolished,
    }

    private sealed class So(DateOnly registeredOn, Ending ending, DateOnly? endedOn)
    {
        public Guid Id { get; set; }
        public string StreamId => SupervisingOrganization.StreamId(Id);
        public string PermitNumber { get; set; } = "";
        public string CorporateNumber { get; set; } = "";
        public string Prefecture { get; set; } = "";
        public DateOnly RegisteredOn { get; } = registeredOn;
        public Ending Ending { get; set; } = ending;
        public DateOnly? EndedOn { get; set; } = endedOn;
        public List<(DateOnly Date, object Data)> Events { get; } = [];
        public List<DateOnly> SnapshotDates { get; } = [];
        public List<SupervisingOrganization> Snapshots { get; } = [];
        public DateOnly LastCompleted { get; set; }

        /// <summary>The last day the organization may be inspected or ordered: the day before its permit ended, or the end of the history.</summary>
        public DateOnly LastActiveDay => EndedOn is { } ended ? ended.AddDays(-1) : SeedProfile.End;

        public bool ActiveOn(DateOnly date) => RegisteredOn <= date && (EndedOn is not { } ended || date < ended);

        /// <summary>The state folded from every event with a business date up to <paramref name="date"/>.</summary>
        public SupervisingOrganization? StateOn(DateOnly date)
        {
            var index = SnapshotDates.BinarySearch(date);
            if (index < 0) index = ~index - 1;
            else while (index + 1 < SnapshotDates.Count && SnapshotDates[index + 1] == date) index++;
            return index < 0 ? null : Snapshots[index];
        }
    }

    private static readonly LegalBasis[] PermitRevocationBases = [new(37, 1, 4), new(37, 1, 5), new(37, 1, 1), new(37, 1, 3)];
    private static readonly double[] PermitRevocationBasisWeights = [55, 25, 12, 8];

    private static readonly string[] PermitRevocationReasons =
    [
        "Audits and visits of implementing organizations were not carried out and false audit reports were submitted to OTIT.",
        "The organization did not comply with an improvement order by its deadline.",
        "Fees beyond those allowed were collected from implementing organizations and the supervision duties were neglected.",
        "Trainees' passports were held and the organization failed to protect trainees under its supervision.",
    ];

    private void GenerateSupervisingOrganizations(SeedRandom random)
    {
        var pending = new List<So>();

        // Permitted at 2023-03-31: first permitted by then, neither revoked nor abolished by then.
        var permitted = _profile.SupervisingOrganizationsPermittedAtFy2022End;
        for (var i = 0; i < permitted; i++)
            pending.Add(new So(DateIn(random, SeedProfile.FirstFiscalYear + random.Weighted([.. SeedProfile.PermittedRegistrationShares])), Ending.None, null));

        // Ended by 2023-03-31: revoked or abolished in FY2017–FY2022, first permitted at least some months earlier.
        for (var fy = SeedProfile.FirstFiscalYear; fy <= 2022; fy++)
        {
            for (var i = 0; i < _profile.SupervisingOrganizationRevocations(fy) + _profile.SupervisingOrganizationAbolitions(fy); i++)
            {
                var endedOn = DateIn(random, fy);
                var latest = endedOn.AddDays(-400) >= SeedProfile.Start ? endedOn.AddDays(-400) : endedOn.AddDays(-120);
                var ending = i < _profile.SupervisingOrganizationRevocations(fy) ? Ending.Revoked : Ending.Abolished;
                pending.Add(new So(random.Date(SeedProfile.Start, latest), ending, endedOn));
            }
        }

        // First permitted after FY2022.
        for (var fy = 2023; fy <= SeedProfile.LastFiscalYear; fy++)
        {
            for (var i = 0; i < _profile.SupervisingOrganizationsNewAfterFy2022(fy); i++)
                pending.Add(new So(DateIn(random, fy), Ending.None, null));
        }

        // Revoked or abolished after FY2022: any organization still permitted, first permitted at least 400 days before.
        for (var fy = 2023; fy <= SeedProfile.LastFiscalYear; fy++)
        {
            for (var i = 0; i < _profile.SupervisingOrganizationRevocations(fy) + _profile.SupervisingOrganizationAbolitions(fy); i++)
            {
                var endedOn = DateIn(random, fy);
                for (var attempt = 0; attempt < 10_000; attempt++)
                {
                    var candidate = random.Pick(pending);
                    if (candidate.Ending != Ending.None || candidate.RegisteredOn.AddDays(400) > endedOn) continue;
                    candidate.Ending = i < _profile.SupervisingOrganizationRevocations(fy) ? Ending.Revoked : Ending.Abolished;
                    candidate.EndedOn = endedOn;
                    break;
                }
            }
        }

        // Permit numbers rise with the permit date; so do ids (UUIDv7 of the permit date).
        foreach (var so in pending.OrderBy(s => s.RegisteredOn))
        {
            so.Id = random.Uuid7(so.RegisteredOn);
            so.PermitNumber = DocumentNumber(random, _permitSerials, "許", so.RegisteredOn);
            so.CorporateNumber = CorporateNumberFor(random, "05");
            so.Prefecture = Prefecture(random);
            _sos.Add(so);
            _soById[so.Id] = so;
            if (!_sosByPrefecture.TryGetValue(so.Prefecture, out var list)) _sosByPrefecture[so.Prefecture] = list = [];
            list.Add(so);
            BuildSupervisingOrganization(random, so);
        }
    }

    private void BuildSupervisingOrganization(SeedRandom random, So so)
    {
        var category = random.Chance(0.5) ? PermitCategory.General : PermitCategory.Specified;
        var lastDay = so.LastActiveDay;
        var commands = new List<(DateOnly Date, object Command)>();

        DateOnly? Sometime(int afterDays, int beforeDaysOfEnd = 0)
        {
            var from = so.RegisteredOn.AddDays(afterDays);
            var to = lastDay.AddDays(-beforeDaysOfEnd);
            return from <= to ? random.Date(from, to) : null;
        }

        if (category == PermitCategory.Specified && random.Chance(0.15) && Sometime(365) is { } upgradeOn)
            commands.Add((upgradeOn, new ChangeCategory(PermitCategory.General, upgradeOn)));
        if (category == PermitCategory.General && random.Chance(0.03) && Sometime(365) is { } downgradeOn)
            commands.Add((downgradeOn, new DowngradeCategory(downgradeOn, new LegalBasis(37, 2, null),
                "The standard for general supervising business (excellence) is no longer met.")));
        if (random.Chance(so.Ending == Ending.Revoked ? 0.4 : 0.04) && Sometime(180, 30) is { } acceptanceOn)
        {
            var from = acceptanceOn.AddDays(random.Between(7, 21));
            commands.Add((acceptanceOn, new SuspendAcceptance(new Period(from, from.AddMonths(random.Between(6, 12)).AddDays(-1)),
                "Trainees under the organization's supervision disappeared at a rate well above the national average.")));
        }
        if (so.Ending == Ending.Revoked && so.EndedOn is { } revokedOn)
        {
            if (random.Chance(0.3) && revokedOn.AddDays(-200) > so.RegisteredOn.AddDays(30))
            {
                var orderedOn = random.Date(revokedOn.AddDays(-200), revokedOn.AddDays(-100));
                var from = orderedOn.AddDays(7);
                commands.Add((orderedOn, new SuspendBusiness(new Period(from, from.AddMonths(random.Between(1, 3)).AddDays(-1)), random.Chance(0.7),
                    new LegalBasis(37, 3, null), "Supervision duties were not performed; the business of supervision is suspended for the period.")));
            }
            var noticedOn = revokedOn.AddDays(-random.Between(14, 45));
            if (noticedOn > so.RegisteredOn) commands.Add((noticedOn, new NoticeRevocationHearing(noticedOn)));
            commands.Add((revokedOn, new RevokePermit(revokedOn, PermitRevocationBases[random.Weighted(PermitRevocationBasisWeights)],
                random.Pick(PermitRevocationReasons))));
        }
        else if (so.Ending == Ending.Abolished && so.EndedOn is { } abolishedOn)
        {
            var noticedOn = abolishedOn.AddDays(-random.Between(14, 45));
            if (random.Chance(0.1) && noticedOn > so.RegisteredOn) commands.Add((noticedOn, new NoticeRevocationHearing(noticedOn)));
            commands.Add((abolishedOn, new AbolishBusiness(abolishedOn)));
        }
        commands.Sort((a, b) => a.Date.CompareTo(b.Date));

        var permitYears = category == PermitCategory.General ? 5 : 3;
        var register = new RegisterSupervisingOrganization(so.Id, so.PermitNumber, Domain.Common.CorporateNumber.Parse(so.CorporateNumber),
            SeedNames.SupervisingOrganization(random), so.Prefecture, category, new Period(so.RegisteredOn, so.RegisteredOn.AddYears(permitYears).AddDays(-1)));
        SupervisingOrganization? state = null;

        void Record(DateOnly date, IEnumerable<object> events)
        {
            foreach (var e in events)
            {
                state = SupervisingOrganization.Evolve(state, e);
                so.Events.Add((date, e));
                so.SnapshotDates.Add(date);
                so.Snapshots.Add(state!);
            }
        }

        Record(so.RegisteredOn, SupervisingOrganizationRules.Decide(state, LegalEntity.None, register));

        // Renewals keep the permit running while the organization exists: decided some weeks before the term ends.
        var limit = so.EndedOn ?? SeedProfile.End;
        var renewalLead = random.Between(20, 60);
        var next = 0;
        while (true)
        {
            DateOnly? renewalOn = state!.IsActive && state.Permit.To < limit ? state.Permit.To.AddDays(-renewalLead) : null;
            if (renewalOn is { } on && (next >= commands.Count || on <= commands[next].Date))
            {
                var excellent = random.Chance(0.3);
                var years = (state.Category, excellent) switch
                {
                    (PermitCategory.General, true) => 7,
                    (PermitCategory.General, false) => 5,
                    (_, true) => 5,
                    _ => 3,
                };
                var from = state.Permit.To.AddDays(1);
                Record(on, SupervisingOrganizationRules.Decide(state, new RenewPermit(new Period(from, from.AddYears(years).AddDays(-1)), excellent)));
                renewalLead = random.Between(20, 60);
                continue;
            }
            if (next >= commands.Count) break;
            var (date, command) = commands[next++];
            try
            {
                switch (command)
                {
                    case ChangeCategory c: Record(date, SupervisingOrganizationRules.Decide(state, c)); break;
                    case DowngradeCategory c: Record(date, SupervisingOrganizationRules.Decide(state, c)); break;
                    case SuspendAcceptance c: Record(date, SupervisingOrganizationRules.Decide(state, c)); break;
                    case SuspendBusiness c: Record(date, SupervisingOrganizationRules.Decide(state, c)); break;
                    case NoticeRevocationHearing c: Record(date, SupervisingOrganizationRules.Decide(state, c)); break;
                    case RevokePermit c:
                        {
                            var (events, entity) = SupervisingOrganizationRules.Decide(state, c);
                            Record(date, events);
                            Disqualify(entity);
                            break;
                        }
                    case AbolishBusiness c:
                        {
                            var (events, entity) = SupervisingOrganizationRules.Decide(state, c);
                            Record(date, events);
                            if (entity is not null) Disqualify(entity);
                            break;
                        }
                    default: throw new InvalidOperationException($"Unexpected command {command.GetType()}.");
                }
            }
            catch (RuleViolation)
            {
                // Refused by the rules (e.g. a downgrade after the category already changed): it did not happen.
            }
        }
    }

    /// <summary>A supervising organization active on <paramref name="date"/> (and, if asked, General), preferably in the prefecture.</summary>
    private So? FindSupervisor(SeedRandom random, string prefecture, DateOnly date, DateOnly activeUntil, bool general, Guid? except = null)
    {
        bool Fits(So so) => so.Id != except && so.ActiveOn(date) && so.ActiveOn(activeUntil)
            && (!general || so.StateOn(date)?.Category == PermitCategory.General);

        if (random.Chance(0.75) && _sosByPrefecture.TryGetValue(prefecture, out var local))
        {
            for (var attempt = 0; attempt < 30; attempt++)
            {
                var candidate = random.Pick(local);
                if (Fits(candidate)) return candidate;
            }
        }
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var candidate = random.Pick(_sos);
            if (Fits(candidate)) return candidate;
        }
        var start = random.Int(0, _sos.Count);
        for (var i = 0; i < _sos.Count; i++)
        {
            var candidate = _sos[(start + i) % _sos.Count];
            if (Fits(candidate)) return candidate;
        }
        return null;
    }
}
