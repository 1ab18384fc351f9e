using Socle.Platform.Web;

namespace Socle.Modules.Voting.Compliance;

/// <summary>The type of election, as the recommendation's examples name them.</summary>
public enum ElectionKind
{
    /// <summary>A small community: an association, a club, a class (the level 1 example is a class representative).</summary>
    Community,

    /// <summary>Staff representatives (élections professionnelles): the level 2 example, level 3 in large organisations amid conflict.</summary>
    StaffRepresentatives,

    /// <summary>An election within a professional order (ordre professionnel): a level 2 example.</summary>
    ProfessionalOrder,

    /// <summary>A political election: the CNIL remains reserved about internet voting for these.</summary>
    Political,

    /// <summary>None of the above: the other answers decide.</summary>
    Other,
}

/// <summary>What is at stake for the people concerned.</summary>
public enum Stakes
{
    /// <summary>Those elected will have little power (level 1).</summary>
    Low,

    /// <summary>A high stake for the people concerned (level 2).</summary>
    High,

    /// <summary>A very high stake (level 3).</summary>
    VeryHigh,
}

/// <summary>The resources, or the motivation, of the threat sources: voters, organisers, outsiders, the provider, internal staff.</summary>
public enum ThreatCapacity
{
    Low,
    Medium,
    High,
}

/// <summary>
/// The answers to the risk questionnaire. Each answer is a criterion the recommendation uses to describe its levels.
/// </summary>
/// <param name="Kind">Type of election.</param>
/// <param name="Voters">Number of voters on the electoral list.</param>
/// <param name="Stakes">What is at stake for the people concerned.</param>
/// <param name="ConflictOrTension">Is the climate conflictual or tense, or could it become so?</param>
/// <param name="PastIncidentsOrDisputes">Were earlier votes of this body disputed, challenged in court or marred by incidents?</param>
/// <param name="AdministratorIsNeutral">Is the information system's administrator neither a voter nor a candidate, and seen as neutral by every party?</param>
/// <param name="ThreatResources">Resources of the threat sources.</param>
/// <param name="ThreatMotivation">Motivation of the threat sources.</param>
public sealed record RiskAnswers(
    ElectionKind Kind,
    int Voters,
    Stakes Stakes,
    bool ConflictOrTension,
    bool PastIncidentsOrDisputes,
    bool AdministratorIsNeutral,
    ThreatCapacity ThreatResources,
    ThreatCapacity ThreatMotivation);

/// <summary>One question of the questionnaire; <see cref="Id"/> is the name of the <see cref="RiskAnswers"/> property it fills.</summary>
public sealed record RiskQuestion(string Id, LocalizedText Text);

/// <summary>What one answer says about the level: the level it points to, and why.</summary>
public sealed record RiskReason(string Question, RiskLevel PointsTo, LocalizedText Text);

/// <summary>The outcome of the questionnaire.</summary>
/// <param name="Level">The highest level any answer points to (in doubt between two levels, the recommendation prefers the higher).</param>
/// <param name="Reasons">What each answer points to, highest level first.</param>
/// <param name="Objectives">Everything that applies at <paramref name="Level"/>: the objectives of this level and the levels below, and the unnumbered items.</param>
/// <param name="InternetVotingDiscouraged">
/// True when the CNIL advises against internet voting: threat sources with both significant resources and strong
/// motivation, or a political election.
/// </param>
public sealed record RiskAssessment(RiskLevel Level, IReadOnlyList<RiskReason> Reasons, IReadOnlyList<CnilItem> Objectives, bool InternetVotingDiscouraged)
{
    /// <summary>The reasons that point to the level found.</summary>
    public IEnumerable<RiskReason> Decisive => Reasons.Where(r => r.PointsTo == Level);
}

/// <summary>
/// The CNIL's risk-level determination (« Le niveau de risque du scrutin ») as a questionnaire. The recommendation
/// describes each level by its threat sources (resources, motivation), the neutrality of the administrator, the number
/// of voters, the stakes and the climate, with an example for each; every answer points to the level whose description
/// it fits, and the result is the highest, since in doubt the higher level should be preferred. The organiser remains
/// free to choose another level if she can justify it to the CNIL and to the expert.
/// </summary>
public static class RiskQuestionnaire
{
    /// <summary>
    /// Up to this many voters is « peu d'électeurs ». The recommendation gives no figure; this is Socle's reading (a
    /// class or a small association is far below it, a professional order far above).
    /// </summary>
    public const int FewVotersAtMost = 1_000;

    private static LocalizedText T(string fr, string en) => new(fr, en);

    /// <summary>The questions, in order, in French and English.</summary>
    public static IReadOnlyList<RiskQuestion> Questions { get; } =
    [
        new(nameof(RiskAnswers.Kind), T("Quel type d'élection ?", "What type of election?")),
        new(nameof(RiskAnswers.Voters), T("Combien d'électeurs ?", "How many voters?")),
        new(nameof(RiskAnswers.Stakes), T("Quel enjeu pour les personnes : les élus auront-ils peu de pouvoirs, l'enjeu est-il élevé, très élevé ?",
            "What is at stake: will those elected have little power, is the stake high, very high?")),
        new(nameof(RiskAnswers.ConflictOrTension), T("Le climat est-il conflictuel ou tendu, ou pourrait-il le devenir ?",
            "Is the climate conflictual or tense, or could it become so?")),
        new(nameof(RiskAnswers.PastIncidentsOrDisputes), T("Des scrutins précédents ont-ils été contestés ou marqués par des incidents ?",
            "Were earlier votes disputed or marred by incidents?")),
        new(nameof(RiskAnswers.AdministratorIsNeutral), T("L'administrateur du système d'information n'est-il ni électeur ni candidat, et est-il considéré comme neutre par toutes les parties ?",
            "Is the information system's administrator neither a voter nor a candidate, and seen as neutral by every party?")),
        new(nameof(RiskAnswers.ThreatResources), T("De quelles ressources disposent les sources de menace (électeurs, organisateurs, personnes extérieures, prestataire, personnel interne) ?",
            "What resources do the threat sources have (voters, organisers, outsiders, the provider, internal staff)?")),
        new(nameof(RiskAnswers.ThreatMotivation), T("Quelle est leur motivation ?", "How motivated are they?")),
    ];

    /// <summary>Finds the risk level, the reasons and the objectives that apply.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative number of voters, or a value outside an enumeration.</exception>
    public static RiskAssessment Assess(RiskAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentOutOfRangeException.ThrowIfNegative(answers.Voters);

        var reasons = new List<RiskReason>
        {
            Kind(answers.Kind),
            Voters(answers.Voters),
            Stakes(answers.Stakes),
            answers.ConflictOrTension
                ? new(nameof(RiskAnswers.ConflictOrTension), RiskLevel.Level3, T(
                    "Climat potentiellement conflictuel : critère du niveau 3.",
                    "A potentially conflictual climate: a level 3 criterion."))
                : new(nameof(RiskAnswers.ConflictOrTension), RiskLevel.Level1, T(
                    "Cadre non conflictuel.",
                    "No conflict.")),
            answers.PastIncidentsOrDisputes
                ? new(nameof(RiskAnswers.PastIncidentsOrDisputes), RiskLevel.Level3, T(
                    "Scrutins précédents contestés ou marqués par des incidents : signe d'un climat potentiellement conflictuel (niveau 3).",
                    "Earlier votes were disputed or marred by incidents: a sign of a potentially conflictual climate (level 3)."))
                : new(nameof(RiskAnswers.PastIncidentsOrDisputes), RiskLevel.Level1, T(
                    "Pas d'incident ni de contestation lors des scrutins précédents.",
                    "No incident or dispute in earlier votes.")),
            answers.AdministratorIsNeutral
                ? new(nameof(RiskAnswers.AdministratorIsNeutral), RiskLevel.Level1, T(
                    "L'administrateur n'est ni électeur ni candidat et est considéré comme neutre par toutes les parties.",
                    "The administrator is neither a voter nor a candidate and is seen as neutral by every party."))
                : new(nameof(RiskAnswers.AdministratorIsNeutral), RiskLevel.Level2, T(
                    "L'administrateur est électeur, candidat, ou n'est pas considéré comme neutre par toutes les parties : le niveau 1 l'exclut.",
                    "The administrator is a voter, a candidate, or not seen as neutral by every party: level 1 rules this out.")),
            Threat(nameof(RiskAnswers.ThreatResources), answers.ThreatResources,
                T("Sources de menace aux ressources", "Threat sources with"), T("faibles", "few resources"), T("moyennes", "medium resources"), T("importantes", "significant resources")),
            Threat(nameof(RiskAnswers.ThreatMotivation), answers.ThreatMotivation,
                T("Sources de menace à la motivation", "Threat sources with"), T("faible", "little motivation"), T("moyenne", "medium motivation"), T("forte", "strong motivation")),
        };

        var discouraged = answers.Kind == ElectionKind.Political;
        if (answers.ThreatResources == ThreatCapacity.High && answers.ThreatMotivation == ThreatCapacity.High)
        {
            discouraged = true;
            reasons.Add(new("ThreatResourcesAndMotivation", RiskLevel.Level3, T(
                "Ressources importantes et forte motivation à la fois : la CNIL déconseille le vote par internet dans ce cas.",
                "Significant resources and strong motivation together: the CNIL advises against internet voting in this case.")));
        }

        var level = reasons.Max(r => r.PointsTo);
        var ordered = reasons.OrderByDescending(r => r.PointsTo).ToArray(); // OrderBy is stable: question order within a level
        return new RiskAssessment(level, ordered, CnilObjectives.ApplicableAt(level), discouraged);
    }

    private static RiskReason Kind(ElectionKind kind) => kind switch
    {
        ElectionKind.Community => new(nameof(RiskAnswers.Kind), RiskLevel.Level1, T(
            "Petite communauté (association, classe) : l'exemple du niveau 1 est l'élection d'un représentant de classe.",
            "A small community (association, class): the level 1 example is electing a class representative.")),
        ElectionKind.StaffRepresentatives => new(nameof(RiskAnswers.Kind), RiskLevel.Level2, T(
            "Élection de représentants du personnel : exemple du niveau 2 (niveau 3 dans une grande organisation, à grande échelle et en climat conflictuel).",
            "Staff representatives: a level 2 example (level 3 in a large organisation, at large scale and amid conflict).")),
        ElectionKind.ProfessionalOrder => new(nameof(RiskAnswers.Kind), RiskLevel.Level2, T(
            "Élection au sein d'un ordre professionnel : exemple du niveau 2.",
            "An election within a professional order: a level 2 example.")),
        ElectionKind.Political => new(nameof(RiskAnswers.Kind), RiskLevel.Level3, T(
            "Élection politique : la CNIL reste réservée quant au vote par internet pour ces élections.",
            "A political election: the CNIL remains reserved about internet voting for these elections.")),
        ElectionKind.Other => new(nameof(RiskAnswers.Kind), RiskLevel.Level1, T(
            "Type d'élection sans exemple dans la recommandation : les autres critères décident.",
            "A type of election the recommendation gives no example of: the other criteria decide.")),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static RiskReason Voters(int voters) => voters <= FewVotersAtMost
        ? new(nameof(RiskAnswers.Voters), RiskLevel.Level1, T(
            $"{voters} électeurs : peu d'électeurs (au plus {FewVotersAtMost}).",
            $"{voters} voters: few voters (at most {FewVotersAtMost})."))
        : new(nameof(RiskAnswers.Voters), RiskLevel.Level2, T(
            $"{voters} électeurs : un nombre important d'électeurs (plus de {FewVotersAtMost}), critère des niveaux 2 et 3.",
            $"{voters} voters: a large number of voters (more than {FewVotersAtMost}), a criterion of levels 2 and 3."));

    private static RiskReason Stakes(Stakes stakes) => stakes switch
    {
        Compliance.Stakes.Low => new(nameof(RiskAnswers.Stakes), RiskLevel.Level1, T(
            "Les personnes élues auront peu de pouvoirs.",
            "Those elected will have little power.")),
        Compliance.Stakes.High => new(nameof(RiskAnswers.Stakes), RiskLevel.Level2, T(
            "Enjeu élevé pour les personnes : critère du niveau 2.",
            "A high stake for the people concerned: a level 2 criterion.")),
        Compliance.Stakes.VeryHigh => new(nameof(RiskAnswers.Stakes), RiskLevel.Level3, T(
            "Enjeu très élevé : critère du niveau 3.",
            "A very high stake: a level 3 criterion.")),
        _ => throw new ArgumentOutOfRangeException(nameof(stakes), stakes, null),
    };

    private static RiskReason Threat(string question, ThreatCapacity capacity, LocalizedText subject, LocalizedText low, LocalizedText medium, LocalizedText high)
    {
        var (level, word) = capacity switch
        {
            ThreatCapacity.Low => (RiskLevel.Level1, low),
            ThreatCapacity.Medium => (RiskLevel.Level2, medium),
            ThreatCapacity.High => (RiskLevel.Level3, high),
            _ => throw new ArgumentOutOfRangeException(nameof(capacity), capacity, null),
        };
        return new(question, level, T(
            $"{subject.Fr} {word.Fr} : critère du niveau {(int)level}.",
            $"{subject.En} {word.En}: a level {(int)level} criterion."));
    }
}
