using System.Globalization;
using Oversight.Domain.Common;
using Oversight.Domain.SendingOrganizations;

namespace Oversight.Cli.Seeding;

public sealed partial class DemoDatasetGenerator
{
    private sealed class Sender(Guid id, string country, DateOnly registeredOn)
    {
        public Guid Id { get; } = id;
        public string Country { get; } = country;
        public DateOnly RegisteredOn { get; } = registeredOn;
        public SendingOrganization? State { get; set; }
        public List<(DateOnly Date, object Data)> Events { get; } = [];
        public List<(DateOnly Date, object Command)> Commands { get; } = [];

        public bool MayBeNamedOn(DateOnly date) => RegisteredOn <= date && !(State?.IsAcceptanceSuspendedOn(date) ?? false);
    }

    private static readonly double[] ReasonWeights = [40, 25, 15, 8, 7, 5];
    private static readonly double[] ResponseWeights = [0, 15, 40, 25, 10, 10];

    private static readonly Dictionary<MocReportReason, string> ReasonDetails = new()
    {
        [MocReportReason.HighDisappearanceRate] = "Trainees placed through the organization disappeared at more than three times the average rate.",
        [MocReportReason.ExcessiveFees] = "Trainees paid fees above the limit agreed under the memorandum.",
        [MocReportReason.DepositOrPenaltyContract] = "Contracts with deposits or penalties for early return were found.",
        [MocReportReason.DocumentForgery] = "Documents submitted for accreditation were found to be forged.",
        [MocReportReason.HumanRightsViolation] = "Practices infringing trainees' rights were reported during inspections.",
        [MocReportReason.Other] = "Other conduct inconsistent with the memorandum was found.",
    };

    private void GenerateSendingOrganizations(SeedRandom random)
    {
        // How many sending organizations each country has: its share of the total, at least 4 in an MOC country (so each
        // can be reported) and 2 elsewhere.
        var total = _profile.SendingOrganizations;
        for (var c = 0; c < SendingCountries.Length; c++)
        {
            var (code, share, moc) = SendingCountries[c];
            var count = Math.Max(moc ? 4 : 2, (int)Math.Round(total * share / 100.0, MidpointRounding.AwayFromZero));
            var list = new List<Sender>(count);
            for (var i = 0; i < count; i++)
            {
                var registeredOn = random.Chance(0.65)
                    ? random.Date(SeedProfile.Start, SeedProfile.Start.AddDays(150))
                    : random.Date(SeedProfile.Start.AddDays(150), SeedProfile.End.AddDays(-365));
                list.Add(new Sender(random.Uuid7(registeredOn), code, registeredOn));
            }
            list.Sort((a, b) => a.RegisteredOn.CompareTo(b.RegisteredOn));
            _sendersByCountry[code] = list;
            _senders.AddRange(list);
            for (var i = 0; i < list.Count; i++)
            {
                var sender = list[i];
                var licence = string.Create(CultureInfo.InvariantCulture, $"{code}-{sender.RegisteredOn:yy}-{i + 1:0000}");
                sender.Commands.Add((sender.RegisteredOn, new RegisterSendingOrganization(sender.Id, code, SeedNames.SendingOrganization(random, code),
                    random.Chance(0.9) ? licence : null)));
            }
        }

        // MOC reports: per fiscal year, distinct organizations of the MOC countries, every MOC country once when there are enough.
        var mocWeights = MocCountries.Select(code => SendingCountries.First(c => c.Code == code).Share).ToArray();
        for (var fy = SeedProfile.FirstFiscalYear; fy <= SeedProfile.LastFiscalYear; fy++)
        {
            var target = _profile.MocReportsIn(fy);
            var (from, to) = SeedProfile.Within(fy);
            var reported = new HashSet<Guid>();
            for (var n = 0; n < target; n++)
            {
                var country = n < MocCountries.Count ? MocCountries[n] : MocCountries[random.Weighted(mocWeights)];
                Sender? chosen = null;
                for (var attempt = 0; attempt < 200 && chosen is null; attempt++)
                {
                    if (attempt == 100) country = MocCountries[random.Weighted(mocWeights)];
                    var candidate = random.Pick(_sendersByCountry[country]);
                    if (candidate.RegisteredOn.AddDays(120) <= to && MocFrom(country) <= to && !reported.Contains(candidate.Id)) chosen = candidate;
                }
                // Reports are made under a memorandum in force on their date.
                chosen ??= _senders.First(s => MocCountries.Contains(s.Country) && s.RegisteredOn.AddDays(120) <= to && MocFrom(s.Country) <= to
                                               && !reported.Contains(s.Id));
                reported.Add(chosen.Id);
                var reportedOn = random.Date(SeedProfile.Max(SeedProfile.Max(from, chosen.RegisteredOn.AddDays(120)), MocFrom(chosen.Country)), to);
                AddMocReport(random, chosen, reportedOn);
            }
        }

        foreach (var sender in _senders)
        {
            foreach (var (date, command) in sender.Commands.OrderBy(c => c.Date))
            {
                if (date > SeedProfile.End) continue;
                try
                {
                    var events = command switch
                    {
                        RegisterSendingOrganization c => SendingOrganizationRules.Decide(sender.State, c),
                        ReportUnderMoc c => SendingOrganizationRules.Decide(sender.State, MocWith(sender.Country), c),
                        RecordSendingCountryResponse c => SendingOrganizationRules.Decide(sender.State, c),
                        SuspendSendingOrganizationAcceptance c => SendingOrganizationRules.Decide(sender.State, c),
                        _ => throw new InvalidOperationException($"Unexpected command {command.GetType()}."),
                    };
                    foreach (var e in events)
                    {
                        sender.State = SendingOrganization.Evolve(sender.State, e);
                        sender.Events.Add((date, e));
                    }
                }
                catch (RuleViolation)
                {
                    // e.g. a second suspension overlapping the first: the rules refuse it, so it did not happen.
                }
            }
            sender.Commands.Clear();
        }
    }

    private static void AddMocReport(SeedRandom random, Sender sender, DateOnly reportedOn)
    {
        var count = random.Chance(0.7) ? 1 : 2;
        var reasons = new List<MocReportReason>();
        while (reasons.Count < count)
        {
            var reason = (MocReportReason)random.Weighted(ReasonWeights);
            if (!reasons.Contains(reason)) reasons.Add(reason);
        }
        var reportId = random.Uuid7(reportedOn);
        sender.Commands.Add((reportedOn, new ReportUnderMoc(reportId, reportedOn, reasons, ReasonDetails[reasons[0]])));
        var respondedOn = reportedOn;
        if (random.Chance(0.3))
        {
            respondedOn = reportedOn.AddDays(random.Between(30, 60));
            sender.Commands.Add((respondedOn, new RecordSendingCountryResponse(reportId, respondedOn, SendingCountryResponse.Investigating,
                "The ministry has opened an investigation.")));
        }
        if (random.Chance(0.9))
        {
            var finalOn = respondedOn.AddDays(random.Between(30, 150));
            var response = (SendingCountryResponse)random.Weighted(ResponseWeights);
            var details = response switch
            {
                SendingCountryResponse.NoViolationFound => "The investigation found no violation.",
                SendingCountryResponse.GuidanceGiven => "The organization was given administrative guidance.",
                SendingCountryResponse.LicenceSuspended => "The organization's licence was suspended.",
                SendingCountryResponse.LicenceRevoked => "The organization's licence was revoked.",
                _ => null,
            };
            sender.Commands.Add((finalOn, new RecordSendingCountryResponse(reportId, finalOn, response, details)));
            if (response is SendingCountryResponse.LicenceSuspended or SendingCountryResponse.LicenceRevoked)
            {
                var from = finalOn.AddDays(random.Between(14, 45));
                var months = response == SendingCountryResponse.LicenceRevoked ? 60 : random.Between(6, 12);
                sender.Commands.Add((finalOn.AddDays(7), new SuspendSendingOrganizationAcceptance(new Period(from, from.AddMonths(months).AddDays(-1)),
                    "The sending country suspended or revoked the organization's approval.")));
            }
        }
        if (reasons[0] == MocReportReason.HighDisappearanceRate && random.Chance(0.5))
        {
            var from = reportedOn.AddDays(random.Between(45, 75));
            sender.Commands.Add((reportedOn.AddDays(30), new SuspendSendingOrganizationAcceptance(
                new Period(from, from.AddMonths(6).AddDays(-1)), "Trainees placed through the organization disappeared at more than three times the average rate.")));
        }
    }
}
