using Socle.Platform.Web;

namespace Socle.Modules.Voting.Compliance;

/// <summary>How private credentials reach voters.</summary>
public enum CredentialDelivery
{
    /// <summary>Sent by e-mail.</summary>
    Email,

    /// <summary>A file for a postal mailing, printed and posted.</summary>
    PostalFile,
}

/// <summary>How voters log in, before signing their ballot with their credential.</summary>
public enum VoterAuthentication
{
    /// <summary>A one-time code sent by e-mail.</summary>
    EmailOneTimeCode,

    /// <summary>A password.</summary>
    Password,
}

/// <summary>Where an election stands on one item of the recommendation.</summary>
public enum ComplianceStatus
{
    /// <summary>Socle's mechanisms meet it with these settings.</summary>
    Met,

    /// <summary>These settings do not meet it; the reason says what to change.</summary>
    NotMet,

    /// <summary>Met only if the organiser takes the measure the reason names.</summary>
    NeedsOrganisationalMeasure,
}

/// <summary>The settings of an election that decide its compliance.</summary>
/// <param name="RiskLevel">The level the organiser chose (see <see cref="RiskQuestionnaire"/>).</param>
/// <param name="Trustees">Trustees (assesseurs) holding a share of the decryption key, n.</param>
/// <param name="Threshold">Trustees needed to decrypt, t (1 ≤ t ≤ n).</param>
/// <param name="ServerHoldsShare">Whether the server holds its own key share, without which no one can decrypt.</param>
/// <param name="CredentialDelivery">How private credentials reach voters.</param>
/// <param name="VoterAuthentication">How voters log in.</param>
/// <param name="RevoteAllowed">Whether a voter may vote again (the last ballot counts).</param>
/// <param name="OpeningAndClosingTimesSet">Whether the bureau has set the opening and closing times.</param>
/// <param name="IntegrityMonitorEnabled">Whether the board is re-verified continuously during the vote, with alerts.</param>
/// <param name="BureauMembers">Members of the electoral bureau.</param>
/// <param name="ArchiveSealed">Whether the election's archive is sealed.</param>
/// <param name="MixedWithPaper">Whether some voters vote on paper (the rule against double votes then applies).</param>
public sealed record ElectionSettings(
    RiskLevel RiskLevel,
    int Trustees,
    int Threshold,
    bool ServerHoldsShare,
    CredentialDelivery CredentialDelivery,
    VoterAuthentication VoterAuthentication,
    bool RevoteAllowed,
    bool OpeningAndClosingTimesSet,
    bool IntegrityMonitorEnabled,
    int BureauMembers,
    bool ArchiveSealed,
    bool MixedWithPaper = false);

/// <summary>One line of the report: an item that applies, its status, and why, in French and English.</summary>
public sealed record ComplianceFinding(CnilItem Item, ComplianceStatus Status, LocalizedText Reason)
{
    public string Id => Item.Id;
}

/// <summary>
/// An election's compliance with the CNIL 2019 recommendation: for every item that applies at its risk level (see
/// <see cref="CnilObjectives.ApplicableAt"/>), Met, NotMet or NeedsOrganisationalMeasure, with the reason. A pure
/// decision on <see cref="ElectionSettings"/>: the same settings always give the same report.
/// </summary>
public sealed record ComplianceReport(ElectionSettings Settings, IReadOnlyList<ComplianceFinding> Findings)
{
    /// <summary>The finding for this item, or null when the item does not apply to this election.</summary>
    public ComplianceFinding? Find(string id) => Findings.FirstOrDefault(f => f.Id == id);

    /// <summary>The findings with this status, in catalogue order.</summary>
    public IEnumerable<ComplianceFinding> With(ComplianceStatus status) => Findings.Where(f => f.Status == status);

    /// <summary>True when no item is NotMet (some may still need organisational measures).</summary>
    public bool NothingNotMet => Findings.All(f => f.Status != ComplianceStatus.NotMet);

    /// <summary>Evaluates every item that applies to an election with these settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A risk level or another enumeration outside its values.</exception>
    public static ComplianceReport For(ElectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!Enum.IsDefined(settings.CredentialDelivery))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.CredentialDelivery, "Unknown credential delivery.");
        }
        if (!Enum.IsDefined(settings.VoterAuthentication))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.VoterAuthentication, "Unknown voter authentication.");
        }

        var findings = new List<ComplianceFinding>();
        foreach (var item in CnilObjectives.ApplicableAt(settings.RiskLevel))
        {
            if (item.Id == "RQ-4" && !settings.MixedWithPaper)
            {
                continue; // paper and internet: only for mixed votes
            }
            var (status, reason) = Decide(item, settings);
            findings.Add(new ComplianceFinding(item, status, reason));
        }
        return new ComplianceReport(settings, findings);
    }

    private static LocalizedText T(string fr, string en) => new(fr, en);

    private static (ComplianceStatus, LocalizedText) Met(LocalizedText reason) => (ComplianceStatus.Met, reason);

    private static (ComplianceStatus, LocalizedText) NotMet(LocalizedText reason) => (ComplianceStatus.NotMet, reason);

    private static (ComplianceStatus, LocalizedText) Organisational(LocalizedText reason) => (ComplianceStatus.NeedsOrganisationalMeasure, reason);

    private static (ComplianceStatus, LocalizedText) Decide(CnilItem item, ElectionSettings s) => item.Id switch
    {
        "1-02" => Vote(s),
        "1-03" => Authentication(s),
        "2-04" => AuthenticationAgainstMinorRisks(s),
        "1-06" => StoredBallots(s),
        "1-07" or "CP-3" => IdentityApartFromVote(item, s),
        "1-08" => KeySplit(s),
        "CP-6" => NoPartialCount(s),
        "2-02" => s.IntegrityMonitorEnabled
            ? Met(item.Mechanism)
            : NotMet(T("Le moniteur d'intégrité est désactivé : rien ne contrôle automatiquement l'urne pendant le vote. L'activer.",
                "The integrity monitor is off: nothing checks the ballot box automatically during the vote. Turn it on.")),
        "2-03" or "3-04" => BureauControl(item, s),
        "RQ-1" => Hours(item, s),
        "RQ-7" => Organisational(Appraisal(s.RiskLevel)),
        "AR-1" => s.ArchiveSealed
            ? Organisational(item.OrganiserMeasure!.Value)
            : NotMet(T("L'archive n'est pas scellée : la sceller une fois le résultat publié, et la conserver ainsi jusqu'à l'épuisement des recours.",
                "The archive is not sealed: seal it once the result is published, and keep it so until appeals are exhausted.")),
        _ => item.OrganiserMeasure is { } measure ? Organisational(measure) : Met(item.Mechanism),
    };

    // Trustees whose shares open a ballot, or a partial count, without the server: min(t, n).
    private static int BureauMembersNeededToDecrypt(ElectionSettings s) => Math.Min(s.Threshold, s.Trustees);

    private static (ComplianceStatus, LocalizedText) Vote(ElectionSettings s) => s.RevoteAllowed
        ? Organisational(T(
            "Le vote est une seule transaction (bulletin, émargement, récépissé). Le revote est permis : le dernier bulletin compte. Vérifier que les textes régissant ce scrutin permettent de remplacer un vote validé ; sinon, désactiver le revote.",
            "The vote is one transaction (ballot, émargement, receipt). Revoting is allowed: the last ballot counts. Check that the rules governing this election allow a validated vote to be replaced; otherwise turn revoting off."))
        : Met(T(
            "Le vote est une seule transaction (bulletin, émargement, récépissé) ; un second bulletin du même électeur est refusé.",
            "The vote is one transaction (ballot, émargement, receipt); a second ballot from the same voter is refused."));

    private static LocalizedText Login(VoterAuthentication a) => a == VoterAuthentication.Password
        ? T("mot de passe", "password")
        : T("code à usage unique par e-mail", "one-time code by e-mail");

    private static LocalizedText Channel(CredentialDelivery c) => c == CredentialDelivery.PostalFile
        ? T("par courrier", "by post")
        : T("par e-mail", "by e-mail");

    private static bool BothInOneMailbox(ElectionSettings s) =>
        s.CredentialDelivery == CredentialDelivery.Email && s.VoterAuthentication == VoterAuthentication.EmailOneTimeCode;

    private static (ComplianceStatus, LocalizedText) Authentication(ElectionSettings s)
    {
        var login = Login(s.VoterAuthentication);
        var channel = Channel(s.CredentialDelivery);
        var sameMailbox = BothInOneMailbox(s)
            ? T(" Les deux arrivent dans la même boîte aux lettres, ce qui suffit contre les risques majeurs (niveau 1) mais pas au-delà.",
                " Both arrive in the same mailbox, which is enough against major risks (level 1) but not beyond.")
            : T("", "");
        return Met(T(
            $"Deux facteurs : connexion par {login.Fr}, puis signature du bulletin avec le code de vote reçu {channel.Fr}.{sameMailbox.Fr}",
            $"Two factors: login with a {login.En}, then the ballot signed with the credential received {channel.En}.{sameMailbox.En}"));
    }

    private static (ComplianceStatus, LocalizedText) AuthenticationAgainstMinorRisks(ElectionSettings s)
    {
        if (s.CredentialDelivery == CredentialDelivery.PostalFile)
        {
            var login = Login(s.VoterAuthentication);
            return Met(T(
                $"Code de vote par courrier, connexion par {login.Fr} : deux facteurs par deux canaux distincts.",
                $"Credential by post, login with a {login.En}: two factors through two different channels."));
        }
        return BothInOneMailbox(s)
            ? NotMet(T(
                "Code de vote et code de connexion arrivent tous deux par e-mail : l'accès à la seule boîte aux lettres suffit pour voter à la place de l'électeur. Envoyer les codes de vote par courrier.",
                "Credential and login code both arrive by e-mail: access to the mailbox alone is enough to vote in the voter's place. Send the credentials by post."))
            : Organisational(T(
                "Code de vote par e-mail, connexion par mot de passe : le mot de passe doit parvenir par un autre canal que l'e-mail du code de vote (courrier, remise en main propre, compte existant).",
                "Credential by e-mail, login with a password: the password must reach the voter through another channel than the credential's e-mail (post, in person, an existing account)."));
    }

    private static (ComplianceStatus, LocalizedText) StoredBallots(ElectionSettings s)
    {
        if (BureauMembersNeededToDecrypt(s) >= 2 || s.ServerHoldsShare)
        {
            return Met(T(
                "L'urne ne contient que des chiffrés, chaînés par SHA-256 ; aucune personne seule ne peut ouvrir un bulletin stocké.",
                "The ballot box holds only ciphertexts, chained by SHA-256; no single person can open a stored ballot."));
        }
        return Organisational(T(
            "Un seul assesseur, sans part du serveur, peut ouvrir les bulletins stockés : leur confidentialité ne repose que sur lui. Ajouter des assesseurs (seuil d'au moins 2) ou la part du serveur.",
            "A single trustee, without a server share, can open the stored ballots: their confidentiality rests on that person alone. Add trustees (threshold at least 2) or the server's share."));
    }

    private static (ComplianceStatus, LocalizedText) IdentityApartFromVote(CnilItem item, ElectionSettings s)
    {
        if (BureauMembersNeededToDecrypt(s) >= 2)
        {
            return Met(item.Mechanism);
        }
        return NotMet(T(
            $"Rôles non séparés : un seul membre du bureau suffit à déchiffrer (seuil {s.Threshold} sur {s.Trustees} assesseurs) ; il pourrait ouvrir un bulletin et, avec l'émargement et les codes de vote, le relier à un électeur. Il faut au moins deux assesseurs et un seuil d'au moins 2.",
            $"Roles are not separated: one bureau member is enough to decrypt (threshold {s.Threshold} of {s.Trustees} trustees); that person could open a ballot and, with the émargement and the credentials, link it to a voter. At least two trustees and a threshold of at least 2 are needed."));
    }

    private static (ComplianceStatus, LocalizedText) KeySplit(ElectionSettings s)
    {
        int n = s.Trustees, t = s.Threshold, b = s.BureauMembers;
        if (n < 2)
        {
            return NotMet(T(
                $"{n} assesseur : le secret de dépouillement n'est pas réparti. Le partager entre au moins deux membres du bureau.",
                $"{n} trustee: the decryption secret is not shared. Share it among at least two bureau members."));
        }
        if (t > n || t < 1)
        {
            return NotMet(T(
                $"Seuil {t} sur {n} assesseurs : le dépouillement serait impossible. Choisir un seuil entre 2 et {n}.",
                $"Threshold {t} of {n} trustees: the count would be impossible. Choose a threshold from 2 to {n}."));
        }
        if (t < 2)
        {
            return NotMet(T(
                $"Seuil 1 sur {n} : chaque assesseur peut déchiffrer seul, le secret n'est pas réparti. Choisir un seuil d'au moins 2.",
                $"Threshold 1 of {n}: each trustee can decrypt alone, the secret is not shared. Choose a threshold of at least 2."));
        }
        if (n > b)
        {
            return NotMet(T(
                $"{n} assesseurs pour {b} membres du bureau : le secret doit rester au sein du bureau électoral.",
                $"{n} trustees for {b} bureau members: the secret must stay within the electoral bureau."));
        }
        var server = s.ServerHoldsShare
            ? T(" La part du serveur s'y ajoute : sans elle personne ne déchiffre, seule elle ne révèle rien.",
                " The server's share comes on top: without it no one decrypts, alone it reveals nothing.")
            : T("", "");
        if (t == n)
        {
            return Organisational(T(
                $"Seuil {t} sur {n} : tous les assesseurs sont nécessaires, la perte d'une seule clé empêcherait le dépouillement. Choisir un seuil inférieur à {n}, ou faire conserver chaque clé en lieu sûr par son détenteur.{server.Fr}",
                $"Threshold {t} of {n}: every trustee is needed, and one lost key would prevent the count. Choose a threshold below {n}, or have each holder keep a safe copy of her key.{server.En}"));
        }
        return Met(T(
            $"Secret réparti entre {n} assesseurs membres du bureau ; {t} suffisent au dépouillement, moins ne peuvent rien.{server.Fr}",
            $"The secret is shared among {n} trustees who are bureau members; {t} are enough for the count, fewer can do nothing.{server.En}"));
    }

    private static (ComplianceStatus, LocalizedText) NoPartialCount(ElectionSettings s)
    {
        var oneTrustee = BureauMembersNeededToDecrypt(s) < 2;
        return (oneTrustee, s.ServerHoldsShare) switch
        {
            (false, true) => Met(T(
                "Un décompte partiel demanderait plusieurs assesseurs et la part du serveur, que le serveur ne livre qu'après la fermeture.",
                "A partial count would need several trustees and the server's share, which the server gives only after closing.")),
            (false, false) => Organisational(T(
                $"Sans part du serveur, {s.Threshold} assesseurs réunis pourraient déchiffrer un total partiel de l'urne publique pendant le vote. Leur interdire de se réunir avant la fermeture, ou donner une part au serveur.",
                $"Without a server share, {s.Threshold} trustees together could decrypt a partial total from the public ballot box during the vote. Forbid them to meet before closing, or give the server a share.")),
            (true, true) => Organisational(T(
                "Un seul assesseur et l'opérateur du serveur réunis pourraient décompter pendant le vote. Ajouter des assesseurs (seuil d'au moins 2).",
                "One trustee and the server's operator together could count during the vote. Add trustees (threshold at least 2).")),
            (true, false) => NotMet(T(
                "Un seul assesseur pourrait déchiffrer un total partiel de l'urne publique pendant le vote. Ajouter des assesseurs (seuil d'au moins 2) et la part du serveur.",
                "A single trustee could decrypt a partial total from the public ballot box during the vote. Add trustees (threshold at least 2) and the server's share.")),
        };
    }

    private static (ComplianceStatus, LocalizedText) BureauControl(CnilItem item, ElectionSettings s)
    {
        if (!s.IntegrityMonitorEnabled)
        {
            return NotMet(T(
                "Le moniteur d'intégrité est désactivé : le bureau ne reçoit aucune alerte pendant le vote. L'activer.",
                "The integrity monitor is off: the bureau gets no alert during the vote. Turn it on."));
        }
        if (s.BureauMembers < 1)
        {
            return NotMet(T(
                "Aucun membre du bureau n'est désigné pour recevoir les alertes et contrôler la plateforme.",
                "No bureau member is designated to receive the alerts and control the platform."));
        }
        return Met(item.Mechanism);
    }

    private static (ComplianceStatus, LocalizedText) Hours(CnilItem item, ElectionSettings s)
    {
        if (!s.OpeningAndClosingTimesSet)
        {
            return NotMet(T(
                "Les heures d'ouverture et de fermeture ne sont pas fixées. Le bureau doit les fixer.",
                "The opening and closing times are not set. The bureau must set them."));
        }
        if (s.BureauMembers < 1)
        {
            return NotMet(T(
                "Aucun membre du bureau pour contrôler les heures d'ouverture et de fermeture.",
                "No bureau member to control the opening and closing times."));
        }
        return Met(item.Mechanism);
    }

    private static LocalizedText Appraisal(RiskLevel level) => level switch
    {
        RiskLevel.Level1 => T(
            "Faire expertiser la solution par un expert indépendant ; une expertise de moins de 24 mois peut être reprise pour un élément inchangé et sans vulnérabilité révélée depuis.",
            "Have the solution appraised by an independent expert; an appraisal less than 24 months old may be reused for an element unchanged and with no vulnerability revealed since."),
        RiskLevel.Level2 => T(
            "Faire expertiser la solution par un expert indépendant, avec audits et tests d'intrusion de la plateforme ; une expertise de moins de 12 mois peut être reprise pour un élément inchangé et sans vulnérabilité révélée depuis.",
            "Have the solution appraised by an independent expert, with audits and penetration tests of the platform; an appraisal less than 12 months old may be reused for an element unchanged and with no vulnerability revealed since."),
        _ => T(
            "Faire expertiser à nouveau chaque élément pour ce scrutin par un expert indépendant, avec audits et tests d'intrusion de la plateforme.",
            "Have every element appraised again for this election by an independent expert, with audits and penetration tests of the platform."),
    };
}
