using System.Text.RegularExpressions;
using Socle.Modules.Voting.Compliance;
using Socle.Testing;

namespace Socle.Voting.Tests;

/// <summary>
/// The CNIL 2019 recommendation as data (checked against the text itself, data/voting/cnil-2019-053), the risk-level
/// questionnaire and the compliance report.
/// </summary>
public partial class ComplianceTests
{
    private static readonly string Deliberation = File.ReadAllText(TestData.Path("voting", "cnil-2019-053", "deliberation-2019-053.fr.txt"));

    /// <summary>The text with every run of white space (line and page breaks included) made one space.</summary>
    private static readonly string Flat = WhiteSpace().Replace(Deliberation, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    // « Objectif de sécurité n° 1-01 : … », tolerant of the spelling of "n°" and of line breaks.
    [GeneratedRegex(@"Objectif\s+de\s+s[ée]curit[ée]\s+n\s*°?\s*(\d)\s*-\s*(\d{2})", RegexOptions.IgnoreCase)]
    private static partial Regex ObjectiveNumber();

    private static string Section(string from, string to)
    {
        var start = Flat.IndexOf(from, StringComparison.Ordinal);
        var end = Flat.IndexOf(to, start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"section « {from} » not found");
        return Flat[start..end];
    }

    // ——— The catalogue ———

    [Fact]
    public void The_catalogue_has_no_duplicate_ids()
    {
        var duplicates = CnilObjectives.All.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void The_catalogue_has_exactly_the_objectives_numbered_in_the_deliberation()
    {
        var numbered = ObjectiveNumber().Matches(Deliberation).Select(m => $"{m.Groups[1].Value}-{m.Groups[2].Value}").ToHashSet();
        Assert.Equal(23, numbered.Count); // 11 at level 1, 7 at level 2, 5 at level 3
        Assert.Equal(numbered.Order(), CnilObjectives.SecurityObjectives.Select(o => o.Id).Order());
    }

    [Fact]
    public void Each_objective_sits_at_the_level_its_number_names()
    {
        Assert.All(CnilObjectives.SecurityObjectives, o => Assert.Equal(o.Id[0] - '0', (int)o.Level));
        Assert.All(CnilObjectives.All.Where(i => i.Kind != CnilItemKind.SecurityObjective), i => Assert.Equal(RiskLevel.Level1, i.Level));
    }

    [Fact]
    public void The_French_text_of_each_objective_guarantee_and_archiving_requirement_is_the_deliberations_word_for_word()
    {
        var quoted = CnilObjectives.All.Where(i => i.Kind != CnilItemKind.OtherRequirement).ToList();
        Assert.Equal(23 + 7 + 4, quoted.Count);
        Assert.All(quoted, i => Assert.True(Flat.Contains(i.Text.Fr, StringComparison.Ordinal), $"{i.Id}: « {i.Text.Fr} » is not in the deliberation"));
        foreach (var o in CnilObjectives.SecurityObjectives)
        {
            Assert.Contains($"Objectif de sécurité n° {o.Id} : {o.Text.Fr}", Flat, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_guarantees_are_the_bullets_of_the_controle_a_posteriori_section_in_order()
    {
        var section = Section("Les garanties minimales pour un contrôle a posteriori", "La conservation des données");
        var bullets = section.Split('•').Skip(1).Select(b => b.Trim().TrimEnd(';', '.', ' ')).ToList();
        Assert.Equal(bullets, CnilObjectives.AfterTheFactGuarantees.Select(g => g.Text.Fr));
        Assert.Equal(["CP-1", "CP-2", "CP-3", "CP-4", "CP-5", "CP-6", "CP-7"], CnilObjectives.AfterTheFactGuarantees.Select(g => g.Id));
    }

    [Fact]
    public void The_archiving_requirements_are_the_sentences_of_the_conservation_section_in_order()
    {
        var section = Section("La conservation des données portant sur l'opération électorale ", "Dispositions transitoires");
        var body = section["La conservation des données portant sur l'opération électorale ".Length..].Trim();
        Assert.Equal(body, string.Join(" ", CnilObjectives.ArchivingRequirements.Select(a => a.Text.Fr)));
    }

    [Fact]
    public void Every_item_is_written_in_French_and_English()
    {
        Assert.All(CnilObjectives.All, i =>
        {
            var texts = new List<Socle.Platform.Web.LocalizedText> { i.Title, i.Text, i.Mechanism };
            if (i.OrganiserMeasure is { } measure)
            {
                texts.Add(measure);
            }
            foreach (var text in texts)
            {
                Assert.False(string.IsNullOrWhiteSpace(text.Fr), $"{i.Id}: French missing");
                Assert.False(string.IsNullOrWhiteSpace(text.En), $"{i.Id}: English missing");
                Assert.NotEqual(text.Fr, text.En);
            }
        });
    }

    [Fact]
    public void Every_item_Socle_meets_alone_names_a_test_that_shows_it()
    {
        Assert.All(CnilObjectives.All.Where(i => i.OrganiserMeasure is null), i => Assert.NotEmpty(i.Evidence));
    }

    /// <summary>
    /// Test classes of the election service being built: evidence may name them before they exist. Once a class
    /// exists, every method named in it must exist too.
    /// </summary>
    private static readonly HashSet<string> ProvisionalClasses = ["ElectionServiceTests", "ElectionDurabilityTests"];

    [Fact]
    public void Every_test_named_as_evidence_exists_or_belongs_to_a_provisional_class()
    {
        var root = TestData.RepositoryRoot;
        var missing = new List<string>();
        foreach (var evidence in CnilObjectives.All.SelectMany(i => i.Evidence).Distinct())
        {
            var match = Regex.Match(evidence, @"^(\w+\.Tests)/(\w+)\.(\w+)$");
            Assert.True(match.Success, $"evidence '{evidence}' is not Project.Tests/Class.Method");
            var (project, type, method) = (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
            var files = Directory.GetFiles(Path.Combine(root, "tests", project), "*.cs", SearchOption.AllDirectories)
                .Select(File.ReadAllText)
                .Where(source => Regex.IsMatch(source, $@"\bclass {type}\b"))
                .ToList();
            if (files.Count == 0)
            {
                if (!ProvisionalClasses.Contains(type))
                {
                    missing.Add(evidence);
                }
            }
            else if (!files.Any(source => Regex.IsMatch(source, $@"\b(void|Task) {method}\(")))
            {
                missing.Add(evidence);
            }
        }
        Assert.Empty(missing);
    }

    [Fact]
    public void The_compliance_doc_names_every_item_and_every_test()
    {
        var doc = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "docs", "voting", "cnil-compliance.md"));
        Assert.All(CnilObjectives.All, i => Assert.Contains($"**{i.Id}**", doc, StringComparison.Ordinal));
        Assert.All(CnilObjectives.SecurityObjectives, o => Assert.Contains(o.Title.Fr, doc, StringComparison.Ordinal));
        Assert.All(CnilObjectives.All.SelectMany(i => i.Evidence).Distinct(), e => Assert.Contains(e[(e.IndexOf('/') + 1)..], doc, StringComparison.Ordinal));
    }

    [Fact]
    public void Levels_are_cumulative()
    {
        var one = CnilObjectives.ApplicableAt(RiskLevel.Level1).Select(i => i.Id).ToHashSet();
        var two = CnilObjectives.ApplicableAt(RiskLevel.Level2).Select(i => i.Id).ToHashSet();
        var three = CnilObjectives.ApplicableAt(RiskLevel.Level3).Select(i => i.Id).ToHashSet();
        Assert.Equal(11, one.Count(id => char.IsDigit(id[0])));
        Assert.Equal(18, two.Count(id => char.IsDigit(id[0])));
        Assert.Equal(23, three.Count(id => char.IsDigit(id[0])));
        Assert.True(one.IsProperSubsetOf(two) && two.IsProperSubsetOf(three));
        Assert.Equal(CnilObjectives.All.Count, three.Count);
        Assert.Contains("CP-6", one);
        Assert.Contains("AR-4", one);
    }

    // ——— The risk questionnaire ———

    private static readonly RiskAnswers SmallAssociation = new(
        ElectionKind.Community, Voters: 150, Stakes.Low, ConflictOrTension: false, PastIncidentsOrDisputes: false,
        AdministratorIsNeutral: true, ThreatCapacity.Low, ThreatCapacity.Low);

    private static readonly RiskAnswers StaffElection = new(
        ElectionKind.StaffRepresentatives, Voters: 2_400, Stakes.High, ConflictOrTension: false, PastIncidentsOrDisputes: false,
        AdministratorIsNeutral: true, ThreatCapacity.Medium, ThreatCapacity.Medium);

    [Fact]
    public void A_small_association_vote_is_level_1()
    {
        var a = RiskQuestionnaire.Assess(SmallAssociation);
        Assert.Equal(RiskLevel.Level1, a.Level);
        Assert.False(a.InternetVotingDiscouraged);
        Assert.All(a.Reasons, r => Assert.Equal(RiskLevel.Level1, r.PointsTo));
        Assert.Equal(11, a.Objectives.Count(o => o.Kind == CnilItemKind.SecurityObjective));
        Assert.DoesNotContain(a.Objectives, o => o.Id.StartsWith('2') || o.Id.StartsWith('3'));
    }

    [Fact]
    public void A_class_representative_election_is_level_1_as_the_recommendation_says()
    {
        var a = RiskQuestionnaire.Assess(SmallAssociation with { Voters = 28 });
        Assert.Equal(RiskLevel.Level1, a.Level);
    }

    [Fact]
    public void Staff_representatives_without_particular_conflict_are_level_2()
    {
        var a = RiskQuestionnaire.Assess(StaffElection);
        Assert.Equal(RiskLevel.Level2, a.Level);
        Assert.Equal(18, a.Objectives.Count(o => o.Kind == CnilItemKind.SecurityObjective));
        Assert.Equal(["Kind", "Voters", "Stakes", "ThreatResources", "ThreatMotivation"], a.Decisive.Select(r => r.Question));
    }

    [Fact]
    public void A_professional_order_is_level_2()
    {
        var a = RiskQuestionnaire.Assess(new RiskAnswers(
            ElectionKind.ProfessionalOrder, 40_000, Stakes.High, false, false, true, ThreatCapacity.Medium, ThreatCapacity.Low));
        Assert.Equal(RiskLevel.Level2, a.Level);
    }

    [Fact]
    public void A_professional_election_with_tension_is_level_3()
    {
        var a = RiskQuestionnaire.Assess(StaffElection with { ConflictOrTension = true });
        Assert.Equal(RiskLevel.Level3, a.Level);
        Assert.Equal("ConflictOrTension", a.Reasons[0].Question);
        Assert.Equal(RiskLevel.Level3, a.Reasons[0].PointsTo);
        Assert.Contains("conflictuel", a.Reasons[0].Text.Fr, StringComparison.Ordinal);
        Assert.Equal(CnilObjectives.All.Count, a.Objectives.Count);
        Assert.False(a.InternetVotingDiscouraged);
    }

    [Fact]
    public void Very_high_stakes_or_past_incidents_or_strong_threats_each_give_level_3()
    {
        Assert.Equal(RiskLevel.Level3, RiskQuestionnaire.Assess(StaffElection with { Stakes = Stakes.VeryHigh }).Level);
        Assert.Equal(RiskLevel.Level3, RiskQuestionnaire.Assess(StaffElection with { PastIncidentsOrDisputes = true }).Level);
        Assert.Equal(RiskLevel.Level3, RiskQuestionnaire.Assess(StaffElection with { ThreatMotivation = ThreatCapacity.High }).Level);
        Assert.Equal(RiskLevel.Level3, RiskQuestionnaire.Assess(StaffElection with { ThreatResources = ThreatCapacity.High }).Level);
    }

    [Fact]
    public void Any_single_level_2_criterion_lifts_a_small_vote_to_level_2()
    {
        // In doubt between two levels, the higher one should be preferred.
        Assert.Equal(RiskLevel.Level2, RiskQuestionnaire.Assess(SmallAssociation with { Voters = RiskQuestionnaire.FewVotersAtMost + 1 }).Level);
        Assert.Equal(RiskLevel.Level1, RiskQuestionnaire.Assess(SmallAssociation with { Voters = RiskQuestionnaire.FewVotersAtMost }).Level);
        Assert.Equal(RiskLevel.Level2, RiskQuestionnaire.Assess(SmallAssociation with { AdministratorIsNeutral = false }).Level);
        Assert.Equal(RiskLevel.Level2, RiskQuestionnaire.Assess(SmallAssociation with { Stakes = Stakes.High }).Level);
        Assert.Equal(RiskLevel.Level2, RiskQuestionnaire.Assess(SmallAssociation with { ThreatMotivation = ThreatCapacity.Medium }).Level);
        Assert.Equal(RiskLevel.Level2, RiskQuestionnaire.Assess(SmallAssociation with { Kind = ElectionKind.StaffRepresentatives }).Level);
    }

    [Fact]
    public void Strong_resources_with_strong_motivation_or_a_political_election_discourage_internet_voting()
    {
        var both = RiskQuestionnaire.Assess(StaffElection with { ThreatResources = ThreatCapacity.High, ThreatMotivation = ThreatCapacity.High });
        Assert.Equal(RiskLevel.Level3, both.Level);
        Assert.True(both.InternetVotingDiscouraged);
        Assert.Contains(both.Reasons, r => r.Text.Fr.Contains("déconseille", StringComparison.Ordinal));

        var political = RiskQuestionnaire.Assess(SmallAssociation with { Kind = ElectionKind.Political });
        Assert.Equal(RiskLevel.Level3, political.Level);
        Assert.True(political.InternetVotingDiscouraged);

        Assert.False(RiskQuestionnaire.Assess(StaffElection with { ThreatResources = ThreatCapacity.High }).InternetVotingDiscouraged);
    }

    [Fact]
    public void Every_question_has_a_reason_in_both_languages_and_a_negative_count_is_refused()
    {
        var a = RiskQuestionnaire.Assess(StaffElection);
        Assert.Equal(RiskQuestionnaire.Questions.Select(q => q.Id).Order(), a.Reasons.Select(r => r.Question).Order());
        Assert.All(typeof(RiskAnswers).GetProperties().Where(p => p.Name != "EqualityContract"), p => Assert.Contains(RiskQuestionnaire.Questions, q => q.Id == p.Name));
        Assert.All(a.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Text.Fr) || string.IsNullOrWhiteSpace(r.Text.En)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RiskQuestionnaire.Assess(SmallAssociation with { Voters = -1 }));
    }

    // ——— The compliance report ———

    /// <summary>A level 3 election set up as the recommendation wants.</summary>
    private static readonly ElectionSettings WellSet = new(
        RiskLevel.Level3, Trustees: 3, Threshold: 2, ServerHoldsShare: true, CredentialDelivery.PostalFile,
        VoterAuthentication.EmailOneTimeCode, RevoteAllowed: false, OpeningAndClosingTimesSet: true,
        IntegrityMonitorEnabled: true, BureauMembers: 3, ArchiveSealed: true);

    private static ComplianceStatus Status(ElectionSettings s, string id) =>
        (ComplianceReport.For(s).Find(id) ?? throw new InvalidOperationException($"{id} does not apply")).Status;

    [Fact]
    public void A_well_set_level_3_election_meets_everything_Socle_can_and_lists_what_the_organiser_must_do()
    {
        var report = ComplianceReport.For(WellSet);
        Assert.True(report.NothingNotMet, string.Join("\n", report.With(ComplianceStatus.NotMet).Select(f => $"{f.Id}: {f.Reason.En}")));
        Assert.Equal(
            ["1-01", "2-01", "2-06", "3-01", "3-03", "3-05", "RQ-2", "RQ-5", "RQ-6", "RQ-7", "RQ-8", "AR-1", "AR-2", "AR-3", "AR-4"],
            report.With(ComplianceStatus.NeedsOrganisationalMeasure).Select(f => f.Id));
        Assert.Equal(CnilObjectives.All.Count - 1, report.Findings.Count); // RQ-4 only for mixed votes
        Assert.All(report.Findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Reason.Fr) || string.IsNullOrWhiteSpace(f.Reason.En), f.Id));
    }

    [Fact]
    public void Only_the_objectives_of_the_level_and_below_are_reported()
    {
        var ids = ComplianceReport.For(WellSet with { RiskLevel = RiskLevel.Level1 }).Findings.Select(f => f.Id).ToList();
        Assert.Equal(11, ids.Count(id => id.StartsWith('1')));
        Assert.DoesNotContain(ids, id => id.StartsWith('2') || id.StartsWith('3'));
        Assert.Contains("CP-1", ids);
        Assert.Contains("AR-1", ids);
        Assert.Equal(18, ComplianceReport.For(WellSet with { RiskLevel = RiskLevel.Level2 }).Findings.Count(f => char.IsDigit(f.Id[0])));
    }

    [Fact]
    public void A_single_trustee_neither_splits_the_key_nor_separates_the_roles()
    {
        var s = WellSet with { Trustees = 1, Threshold = 1 };
        var report = ComplianceReport.For(s);
        Assert.Equal(ComplianceStatus.NotMet, report.Find("1-08")!.Status);
        Assert.Contains("au moins deux", report.Find("1-08")!.Reason.Fr, StringComparison.Ordinal);
        Assert.Equal(ComplianceStatus.NotMet, report.Find("1-07")!.Status);
        Assert.Contains("Roles are not separated", report.Find("1-07")!.Reason.En, StringComparison.Ordinal);
        Assert.Equal(ComplianceStatus.NotMet, report.Find("CP-3")!.Status);
        Assert.False(report.NothingNotMet);
    }

    [Fact]
    public void The_key_split_needs_a_threshold_of_at_least_two_that_the_trustees_can_reach_within_the_bureau()
    {
        Assert.Equal(ComplianceStatus.Met, Status(WellSet, "1-08"));
        Assert.Equal(ComplianceStatus.NotMet, Status(WellSet with { Threshold = 1 }, "1-08"));   // any one trustee decrypts alone
        Assert.Equal(ComplianceStatus.NotMet, Status(WellSet with { Threshold = 4 }, "1-08"));   // the count would be impossible
        Assert.Equal(ComplianceStatus.NotMet, Status(WellSet with { Threshold = 0 }, "1-08"));
        Assert.Equal(ComplianceStatus.NotMet, Status(WellSet with { Trustees = 5, BureauMembers = 3 }, "1-08")); // outside the bureau
        Assert.Equal(ComplianceStatus.NeedsOrganisationalMeasure, Status(WellSet with { Threshold = 3 }, "1-08")); // n of n: one lost key stops the count
        Assert.Equal(ComplianceStatus.NotMet, Status(WellSet with { Threshold = 1 }, "1-07"));
    }

    [Fact]
    public void The_servers_share_is_named_in_the_key_split_reason()
    {
        Assert.Contains("server's share", ComplianceReport.For(WellSet).Find("1-08")!.Reason.En, StringComparison.Ordinal);
        Assert.DoesNotContain("server", ComplianceReport.For(WellSet with { ServerHoldsShare = false }).Find("1-08")!.Reason.En, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partial_count_during_the_vote_is_impossible_only_with_several_trustees_and_the_servers_share()
    {
        Assert.Equal(ComplianceStatus.Met, Status(WellSet, "CP-6"));
        Assert.Equal(ComplianceStatus.NeedsOrganisationalMeasure, Status(WellSet with { ServerHoldsShare = false }, "CP-6"));
        Assert.Equal(ComplianceStatus.NeedsOrganisationalMeasure, Status(WellSet with { Trustees = 1, Threshold = 1 }, "CP-6"));
        Assert.Equal(ComplianceStatus.NotMet, Status(WellSet with { Trustees = 1, Threshold = 1, ServerHoldsShare = false }, "CP-6"));
    }

    [Fact]
    public void Stored_ballots_may_rest_on_one_person_only_if_the_server_holds_a_share()
    {
        Assert.Equal(ComplianceStatus.Met, Status(WellSet, "1-06"));
        Assert.Equal(ComplianceStatus.Met, Status(WellSet with { Trustees = 1, Threshold = 1 }, "1-06"));
        Assert.Equal(ComplianceStatus.NeedsOrganisationalMeasure, Status(WellSet with { Trustees = 1, Threshold = 1, ServerHoldsShare = false }, "1-06"));
    }

    [Fact]
    public void Credential_and_login_code_in_one_mailbox_are_enough_at_level_1_but_not_at_level_2()
    {
        var oneMailbox = WellSet with { CredentialDelivery = CredentialDelivery.Email, VoterAuthentication = VoterAuthentication.EmailOneTimeCode };

        var level1 = ComplianceReport.For(oneMailbox with { RiskLevel = RiskLevel.Level1 });
        Assert.Equal(ComplianceStatus.Met, level1.Find("1-03")!.Status);
        Assert.Contains("same mailbox", level1.Find("1-03")!.Reason.En, StringComparison.Ordinal);
        Assert.Null(level1.Find("2-04"));

        var level2 = ComplianceReport.For(oneMailbox with { RiskLevel = RiskLevel.Level2 });
        Assert.Equal(ComplianceStatus.NotMet, level2.Find("2-04")!.Status);
        Assert.Contains("par courrier", level2.Find("2-04")!.Reason.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_is_enough_against_minor_risks_only_if_it_comes_by_another_channel_than_the_credential()
    {
        Assert.Equal(ComplianceStatus.Met, Status(WellSet, "2-04")); // credential by post, code by e-mail
        Assert.Equal(ComplianceStatus.Met, Status(WellSet with { VoterAuthentication = VoterAuthentication.Password }, "2-04"));
        Assert.Equal(ComplianceStatus.NeedsOrganisationalMeasure,
            Status(WellSet with { CredentialDelivery = CredentialDelivery.Email, VoterAuthentication = VoterAuthentication.Password }, "2-04"));
        Assert.Equal(ComplianceStatus.Met,
            Status(WellSet with { CredentialDelivery = CredentialDelivery.Email, VoterAuthentication = VoterAuthentication.Password }, "1-03"));
    }

    [Fact]
    public void Without_the_integrity_monitor_neither_automatic_control_nor_bureau_control_is_met()
    {
        var off = WellSet with { IntegrityMonitorEnabled = false };
        Assert.Equal(ComplianceStatus.NotMet, Status(off, "2-02"));
        Assert.Equal(ComplianceStatus.NotMet, Status(off, "2-03"));
        Assert.Equal(ComplianceStatus.NotMet, Status(off, "3-04"));
        Assert.Equal(ComplianceStatus.Met, Status(WellSet, "2-02"));
        Assert.Equal(ComplianceStatus.Met, Status(WellSet, "3-04"));
        Assert.Null(ComplianceReport.For(off with { RiskLevel = RiskLevel.Level1 }).Find("2-02"));
    }

    [Fact]
    public void Opening_hours_must_be_set_and_a_bureau_must_control_them()
    {
        Assert.Equal(ComplianceStatus.Met, Status(WellSet, "RQ-1"));
        Assert.Equal(ComplianceStatus.NotMet, Status(WellSet with { OpeningAndClosingTimesSet = false }, "RQ-1"));
        var noBureau = WellSet with { BureauMembers = 0 };
        Assert.Equal(ComplianceStatus.NotMet, Status(noBureau, "RQ-1"));
        Assert.Equal(ComplianceStatus.NotMet, Status(noBureau, "2-03"));
        Assert.Equal(ComplianceStatus.NotMet, Status(noBureau, "1-08"));
    }

    [Fact]
    public void An_unsealed_archive_is_not_met_and_a_sealed_one_still_needs_the_other_supports_sealed()
    {
        Assert.Equal(ComplianceStatus.NotMet, Status(WellSet with { ArchiveSealed = false }, "AR-1"));
        var sealedArchive = ComplianceReport.For(WellSet).Find("AR-1")!;
        Assert.Equal(ComplianceStatus.NeedsOrganisationalMeasure, sealedArchive.Status);
        Assert.Contains("code source", sealedArchive.Reason.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void Revoting_needs_the_organiser_to_check_the_rules_of_the_election()
    {
        Assert.Equal(ComplianceStatus.Met, Status(WellSet, "1-02"));
        var revote = ComplianceReport.For(WellSet with { RevoteAllowed = true }).Find("1-02")!;
        Assert.Equal(ComplianceStatus.NeedsOrganisationalMeasure, revote.Status);
        Assert.Contains("last ballot counts", revote.Reason.En, StringComparison.Ordinal);
    }

    [Fact]
    public void The_double_vote_rule_appears_only_for_mixed_paper_and_internet_votes()
    {
        Assert.Null(ComplianceReport.For(WellSet).Find("RQ-4"));
        Assert.Equal(ComplianceStatus.NeedsOrganisationalMeasure, Status(WellSet with { MixedWithPaper = true }, "RQ-4"));
    }

    [Fact]
    public void The_expert_appraisal_follows_the_level()
    {
        Assert.Contains("24 mois", ComplianceReport.For(WellSet with { RiskLevel = RiskLevel.Level1 }).Find("RQ-7")!.Reason.Fr, StringComparison.Ordinal);
        Assert.Contains("12 months", ComplianceReport.For(WellSet with { RiskLevel = RiskLevel.Level2 }).Find("RQ-7")!.Reason.En, StringComparison.Ordinal);
        Assert.Contains("again for this election", ComplianceReport.For(WellSet).Find("RQ-7")!.Reason.En, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_risk_level_is_a_bug()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ComplianceReport.For(WellSet with { RiskLevel = (RiskLevel)4 }));
    }
}
