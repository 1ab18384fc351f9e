using Socle.Platform.Web;

namespace Socle.Modules.Voting.Compliance;

/// <summary>
/// The three risk levels of the CNIL recommendation (délibération n° 2019-053 du 25 avril 2019). Levels are
/// cumulative: level 2 must meet level 1's objectives and its own, level 3 those of levels 1 and 2 and its own.
/// </summary>
public enum RiskLevel
{
    /// <summary>Threat sources with few resources and little motivation; few voters, no conflict, little power at stake.</summary>
    Level1 = 1,

    /// <summary>Medium resources or motivation; many voters, high stakes, no particular conflict.</summary>
    Level2 = 2,

    /// <summary>Significant resources or strong motivation; many voters, very high stakes, potentially conflictual climate.</summary>
    Level3 = 3,
}

/// <summary>Which part of the recommendation an item comes from.</summary>
public enum CnilItemKind
{
    /// <summary>« Objectif de sécurité n° 1-01 » … « 3-05 ».</summary>
    SecurityObjective,

    /// <summary>« Les garanties minimales pour un contrôle a posteriori »: what the system must be able to prove.</summary>
    AfterTheFactGuarantee,

    /// <summary>« La conservation des données portant sur l'opération électorale ».</summary>
    ArchivingRequirement,

    /// <summary>Other requirements of the text: the vote itself, the explanatory notice, accessibility, the expert appraisal, the DPIA.</summary>
    OtherRequirement,
}

/// <summary>
/// One requirement of the recommendation and how Socle meets it.
/// </summary>
/// <param name="Id">
/// The objective's number as the text writes it (<c>1-01</c> … <c>3-05</c>); for the unnumbered lists, Socle's own ids:
/// <c>CP-1</c>… (contrôle a posteriori), <c>AR-1</c>… (archivage), <c>RQ-1</c>… (other requirements).
/// </param>
/// <param name="Level">The lowest risk level at which the item applies (unnumbered items apply at every level).</param>
/// <param name="Title">A short title (Socle's); French first.</param>
/// <param name="Text">
/// What the recommendation asks. For objectives, guarantees and archiving requirements the French is the text of the
/// recommendation word for word; for other requirements it is a faithful summary. The English is a translation.
/// </param>
/// <param name="Mechanism">How Socle meets it.</param>
/// <param name="Evidence">Tests that show the mechanism, as <c>Project.Tests/Class.Method</c>.</param>
/// <param name="OrganiserMeasure">What the organiser must still do for the item to be met, when Socle alone cannot meet it.</param>
public sealed record CnilItem(
    string Id,
    CnilItemKind Kind,
    RiskLevel Level,
    LocalizedText Title,
    LocalizedText Text,
    LocalizedText Mechanism,
    IReadOnlyList<string> Evidence,
    LocalizedText? OrganiserMeasure = null);

/// <summary>
/// The CNIL 2019 recommendation on internet voting as data: every security objective of levels 1 to 3, the guarantees
/// of the « contrôle a posteriori », the archiving requirements and the other requirements of the text, each with
/// Socle's mechanism and the tests that show it. Described in docs/voting/cnil-compliance.md.
/// </summary>
public static class CnilObjectives
{
    // Tests named as evidence. ElectionServiceTests and ElectionDurabilityTests belong to the election service being
    // built; their names are provisional until those classes land (ComplianceTests checks the others exist).
    private const string ServerKeepsNoSecret = "Voting.Tests/ElectionServiceTests.Server_never_stores_private_credentials_or_secrets";
    private const string VoterAuthentication = "Voting.Tests/ElectionServiceTests.Voters_sign_in_with_a_one_time_code_and_the_roll_cannot_be_probed";
    private const string TallyNeedsTrustees = "Voting.Tests/ElectionServiceTests.A_whole_election_runs_and_its_archive_verifies";
    private const string BallotOutsideHours = "Voting.Tests/ElectionServiceTests.Ballots_from_unknown_credentials_outside_hours_or_without_sign_in_are_refused";
    private const string BallotAfterClosing = "Voting.Tests/ElectionServiceTests.A_whole_election_runs_and_its_archive_verifies";
    private const string TallyBeforeClosing = "Voting.Tests/ElectionServiceTests.A_whole_election_runs_and_its_archive_verifies";
    private const string IntegrityMonitor = "Voting.Tests/ElectionServiceTests.Integrity_monitor_detects_tampering";
    private const string ElectionsIsolated = "Voting.Tests/ElectionDurabilityTests.Killing_the_server_during_a_burst_loses_no_receipted_ballot";
    private const string KillDuringBurst = "Voting.Tests/ElectionDurabilityTests.Killing_the_server_during_a_burst_loses_no_receipted_ballot";

    private const string BeleniosTool = "Voting.Tests/CliTests.A_BELENIOS_2048_election_made_by_socle_vote_passes_Debians_belenios_tool";
    private const string CliVerifyOk = "Voting.Tests/CliTests.Verify_prints_a_summary_and_json_and_exits_zero_for_a_Belenios_board";
    private const string CliVerifyFails = "Voting.Tests/CliTests.Verify_exits_one_naming_the_event_and_the_reason";
    private const string ReferenceVerifies = "Voting.Tests/ReferenceElectionTests.A_Belenios_election_verifies_and_its_result_is_recomputed";
    private const string ReferenceByteForByte = "Voting.Tests/ReferenceElectionTests.Our_archive_writer_reproduces_Belenios_board_byte_for_byte";
    private const string ReferenceRecords = "Voting.Tests/ReferenceElectionTests.Records_serialise_back_to_the_exact_bytes_Belenios_wrote";
    private const string FlowStateRules = "Voting.Tests/ElectionFlowTests.The_board_refuses_what_the_state_does_not_allow_and_never_rewrites";
    private const string BoardOnlyGrows = "Voting.Tests/BoardStoreTests.A_board_may_grow_but_not_be_rewritten";
    private const string PublishedBoards = "Voting.Tests/HttpTests.Published_boards_are_listed_read_and_downloaded";
    private const string FrenchAndEnglish = "Voting.Tests/HttpTests.The_pages_speak_French_first_and_English_on_request_and_the_API_is_in_OpenAPI";
    private const string EncryptDecrypt = "Voting.Tests/PropertyTests.Encrypt_then_decrypt_gives_back_the_message";
    private const string AlteredProofFails = "Voting.Tests/PropertyTests.Ballots_with_any_valid_choice_verify_and_any_altered_proof_fails";
    private const string OutsideMinMax = "Voting.Tests/PropertyTests.A_ballot_outside_min_max_cannot_be_made";
    private const string ThresholdDecryption = "Voting.Tests/PropertyTests.Threshold_decryption_works_with_any_threshold_trustees_and_not_with_fewer";
    private const string BadShareRefused = "Voting.Tests/PropertyTests.A_share_that_does_not_match_the_commitments_is_refused_by_its_recipient";
    private const string SodiumAgrees = "Voting.Tests/BackendTests.Libsodium_and_the_managed_Ed25519_agree";
    private const string SubgroupChecked = "Voting.Tests/KnownAnswerTests.Ed25519_rejects_points_outside_the_prime_order_subgroup";
    private const string TrusteeProofs = "Voting.Tests/KnownAnswerTests.Belenios_trustee_keys_and_their_proofs_verify_with_our_hash";
    private const string CredentialsDerive = "Voting.Tests/KnownAnswerTests.Credentials_derive_to_the_public_credentials_Belenios_published";
    private const string StoredBallotHash = "Voting.Tests/TamperingTests.A_flipped_byte_in_a_stored_ballot_breaks_its_hash";
    private const string SignatureFlip = "Voting.Tests/TamperingTests.A_flipped_digit_in_a_ballot_signature_is_caught";
    private const string CiphertextChange = "Voting.Tests/TamperingTests.A_ballot_changed_in_its_ciphertext_is_caught";
    private const string BlankProofFlip = "Voting.Tests/TamperingTests.A_flipped_digit_in_the_overall_or_blank_proof_is_caught";
    private const string EventFlip = "Voting.Tests/TamperingTests.A_flipped_byte_in_an_event_breaks_the_chain";
    private const string DroppedByChain = "Voting.Tests/TamperingTests.A_dropped_ballot_is_caught_by_the_chain_otherwise";
    private const string DroppedByTally = "Voting.Tests/TamperingTests.A_dropped_ballot_is_caught_by_the_tally_when_the_chain_is_rebuilt";
    private const string Duplicated = "Voting.Tests/TamperingTests.A_duplicated_ballot_is_caught";
    private const string Reordered = "Voting.Tests/TamperingTests.Reordered_ballot_events_are_caught";
    private const string WrongPartial = "Voting.Tests/TamperingTests.A_wrong_partial_decryption_is_caught";
    private const string WrongResult = "Voting.Tests/TamperingTests.A_wrong_result_is_caught_naming_the_answer";
    private const string TallyNotProduct = "Voting.Tests/TamperingTests.A_tally_that_is_not_the_product_of_the_ballots_is_caught";
    private const string UnknownCredential = "Voting.Tests/TamperingTests.A_ballot_from_a_credential_not_on_the_list_is_caught";
    private const string AfterEndOfVoting = "Voting.Tests/TamperingTests.A_ballot_after_the_end_of_voting_is_caught";
    private const string WrongTrusteeProof = "Voting.Tests/TamperingTests.A_trustee_key_with_a_wrong_proof_is_caught";
    private const string CutBoardHead = "Voting.Tests/TamperingTests.A_board_cut_after_a_complete_event_verifies_as_an_earlier_state_and_its_head_tells";
    private const string LevelOneAssociation = "Voting.Tests/ComplianceTests.A_small_association_vote_is_level_1";
    private const string LevelThreeTension = "Voting.Tests/ComplianceTests.A_professional_election_with_tension_is_level_3";
    private const string JournalImmutable = "Platform.Tests/JournalStoreTests.Stored_events_cannot_be_updated_or_deleted";
    private const string JournalFlipLocated = "Platform.Tests/JournalVerifierTests.A_flipped_byte_in_a_payload_is_located";
    private const string JournalRelinkBreaks = "Platform.Tests/JournalVerifierTests.A_recomputed_hash_after_an_edit_breaks_the_link_to_the_next_event";
    private const string AnyoneVerifies = "Browser.Tests/VotingBrowserTests.Anyone_can_upload_a_board_and_read_the_verification_report";

    private static LocalizedText T(string fr, string en) => new(fr, en);

    private static CnilItem Objective(string id, LocalizedText title, LocalizedText text, LocalizedText mechanism, string[] evidence, LocalizedText? organiser = null) =>
        new(id, CnilItemKind.SecurityObjective, (RiskLevel)(id[0] - '0'), title, text, mechanism, evidence, organiser);

    private static CnilItem Item(string id, CnilItemKind kind, LocalizedText title, LocalizedText text, LocalizedText mechanism, string[] evidence, LocalizedText? organiser = null) =>
        new(id, kind, RiskLevel.Level1, title, text, mechanism, evidence, organiser);

    /// <summary>Every item, in the order of the recommendation: objectives, other requirements, guarantees, archiving.</summary>
    public static IReadOnlyList<CnilItem> All { get; } =
    [
        // ——— Level 1 ———
        Objective("1-01",
            T("Solution de qualité sans faille majeure", "A quality solution without major flaw"),
            T("Mettre en œuvre une solution technique et organisationnelle de qualité ne présentant pas de faille majeure (faille publiée par l’éditeur et/ou rendue publique par des tiers).",
              "Deploy a quality technical and organisational solution with no major flaw (published by the vendor and/or made public by third parties)."),
            T("Protocole Belenios publié, doté de preuves de sécurité ; formats vérifiés par l'outil de Belenios lui-même et par des vecteurs de test connus ; contrôles d'appartenance au groupe qui ferment les failles publiées contre Belenios ; compilation où tout avertissement est une erreur.",
              "The published Belenios protocol, which has security proofs; formats checked by Belenios' own tool and by known-answer tests; group-membership checks that close the flaws published against Belenios; a build where every warning is an error."),
            [BeleniosTool, SubgroupChecked, ReferenceRecords],
            T("Faire expertiser la version déployée par un expert indépendant ; suivre les vulnérabilités publiées et appliquer les correctifs avant le scrutin.",
              "Have the deployed version appraised by an independent expert; follow published vulnerabilities and apply fixes before the vote.")),
        Objective("1-02",
            T("Vote atomique", "The vote is one atomic operation"),
            T("Définir le vote d’un électeur comme une opération atomique, c’est-à-dire comme comportant de manière indivisible le choix, la validation, l’enregistrement du bulletin dans l’urne, l’émargement et la délivrance d’un récépissé.",
              "Define a voter's vote as an atomic operation, made indivisibly of the choice, the validation, the recording of the ballot in the ballot box, the émargement (signing of the voters' register) and the delivery of a receipt."),
            T("Le bulletin est vérifié, ajouté à l'urne, l'électeur émargé et le récépissé (numéro de suivi) délivré dans une seule transaction : tout ou rien. Un bulletin rejoué est refusé ; si le revote est permis, le dernier bulletin compte.",
              "The ballot is checked, appended to the ballot box, the voter marked on the émargement list and the receipt (tracking number) given in one transaction: all or nothing. A replayed ballot is refused; when revoting is allowed, the last ballot counts."),
            [KillDuringBurst, BeleniosTool, Duplicated]),
        Objective("1-03",
            T("Authentification des électeurs (risques majeurs)", "Voter authentication (major risks)"),
            T("Authentifier les électeurs en s’assurant que les risques majeurs liés à une usurpation d’identité sont réduit de manière significative.",
              "Authenticate voters so that the major risks of identity theft are significantly reduced."),
            T("Deux facteurs : connexion par code à usage unique envoyé par e-mail ou par mot de passe, puis signature du bulletin avec le code de vote personnel (credential) remis par l'autorité des codes de vote. Le serveur ne connaît que les codes de vote publics.",
              "Two factors: login with a one-time code sent by e-mail or with a password, then the ballot signed with the voter's own credential, delivered by the credential authority. The server knows only public credentials."),
            [VoterAuthentication, UnknownCredential, SignatureFlip, CredentialsDerive]),
        Objective("1-04",
            T("Confidentialité du bulletin dès sa création", "Ballot confidential from its creation"),
            T("Assurer la stricte confidentialité du bulletin dès sa création sur le poste du votant.",
              "Ensure the strict confidentiality of the ballot from its creation on the voter's device."),
            T("Le bulletin est chiffré (ElGamal) dans le navigateur de l'électeur, avec des preuves à divulgation nulle de connaissance de sa validité ; seul le chiffré quitte le poste, le serveur ne voit jamais le choix.",
              "The ballot is encrypted (ElGamal) in the voter's browser, with zero-knowledge proofs that it is valid; only the ciphertext leaves the device, the server never sees the choice."),
            [EncryptDecrypt, AlteredProofFails, SodiumAgrees, ServerKeepsNoSecret]),
        Objective("1-05",
            T("Confidentialité et intégrité pendant le transport", "Confidentiality and integrity in transport"),
            T("Assurer la stricte confidentialité et l’intégrité du bulletin pendant son transport.",
              "Ensure the strict confidentiality and integrity of the ballot while it is transported."),
            T("Le bulletin voyage chiffré de bout en bout et signé avec le code de vote : le canal ne voit rien, et toute modification en route casse la signature ou une preuve. HTTPS s'y ajoute.",
              "The ballot travels encrypted end to end and signed with the credential: the channel sees nothing, and any change on the way breaks the signature or a proof. HTTPS comes on top."),
            [SignatureFlip, CiphertextChange]),
        Objective("1-06",
            T("Confidentialité et intégrité dans l'urne jusqu'au dépouillement", "Confidentiality and integrity in the ballot box until the count"),
            T("Assurer, de manière organisationnelle et/ou technique, la stricte confidentialité et l’intégrité du bulletin pendant son traitement et son stockage dans l’urne jusqu’au dépouillement.",
              "Ensure, by organisational and/or technical means, the strict confidentiality and integrity of the ballot while it is processed and stored in the ballot box until the count."),
            T("L'urne ne contient que des chiffrés ; chaque fichier est nommé par son SHA-256 et chaîné au précédent ; une urne publiée ne peut que s'allonger ; aucune clé capable d'ouvrir un bulletin n'existe en un seul endroit (voir 1-08).",
              "The ballot box holds only ciphertexts; each file is named by its SHA-256 and chained to the previous one; a published ballot box can only grow; no key able to open a ballot exists in one place (see 1-08)."),
            [StoredBallotHash, BoardOnlyGrows, ServerKeepsNoSecret]),
        Objective("1-07",
            T("Étanchéité entre l'identité du votant et son vote", "Voter identity kept apart from the vote"),
            T("Assurer l’étanchéité totale entre l’identité de votant et l’expression de son vote pendant toute la durée du traitement.",
              "Ensure total separation between the voter's identity and the expression of the vote throughout the processing."),
            T("L'urne ne porte que des codes de vote publics, sans identité ; la liste d'émargement dit qui a voté, jamais comment ; le dépouillement homomorphe ne déchiffre que les totaux, jamais un bulletin ; le serveur ne garde aucun code de vote privé ; ouvrir un bulletin demanderait plusieurs membres du bureau.",
              "The ballot box carries only public credentials, with no identity; the émargement list says who voted, never how; the homomorphic tally decrypts only totals, never a ballot; the server keeps no private credential; opening a ballot would need several bureau members."),
            [ServerKeepsNoSecret, ThresholdDecryption, TallyNotProduct]),
        Objective("1-08",
            T("Secret de dépouillement réparti au sein du bureau, avec un seuil", "Decryption secret shared within the bureau, with a threshold"),
            T("Renforcer la confidentialité et l’intégrité des données en répartissant le secret permettant le dépouillement exclusivement au sein du bureau électoral et garantir la possibilité de dépouillement à partir d’un seuil de secret déterminé.",
              "Strengthen confidentiality and integrity by sharing the secret that allows the count only within the electoral bureau, and guarantee that the count is possible from a set threshold of shares."),
            T("Les assesseurs, membres du bureau, créent leurs clés dans leur navigateur (génération distribuée de Pedersen, t parmi n) : personne ne détient la clé de l'élection, t assesseurs suffisent, moins ne peuvent rien. Le serveur détient en plus sa propre part. Chaque déchiffrement partiel est prouvé.",
              "The trustees, members of the bureau, create their keys in their browser (Pedersen distributed key generation, t of n): no one holds the election key, any t trustees suffice, fewer can do nothing. The server also holds its own share. Each partial decryption comes with a proof."),
            [TallyNeedsTrustees, ThresholdDecryption, BadShareRefused, WrongPartial]),
        Objective("1-09",
            T("Dépouillement atomique, seulement après la fermeture", "The count is atomic and only after closing"),
            T("Définir le dépouillement comme une fonction atomique utilisable seulement après la fermeture du scrutin.",
              "Define the count as an atomic function usable only after the vote has closed."),
            T("Le cycle de vie (brouillon, mise en place, ouvert, clos, dépouillé, publié, archivé, détruit) est tenu dans le journal chaîné. Le dépouillement est refusé avant la fermeture, tout bulletin après aussi ; le déchiffrement demande les assesseurs, une fois le total chiffré calculé.",
              "The lifecycle (draft, setup, open, closed, tallied, published, archived, destroyed) is kept in the hash-chained journal. The count is refused before closing, and so is any ballot after; decryption needs the trustees, once the encrypted tally is computed."),
            [TallyBeforeClosing, BallotAfterClosing, AfterEndOfVoting, FlowStateRules]),
        Objective("1-10",
            T("Intégrité du système, de l'urne et de la liste d'émargement", "Integrity of the system, the ballot box and the émargement list"),
            T("Assurer l’intégrité du système, de l’urne et de la liste d’émargement.",
              "Ensure the integrity of the system, the ballot box and the émargement list."),
            T("Urne chaînée par SHA-256 et bulletins signés ; émargement écrit dans la même transaction que le bulletin ; chaque action d'administration consignée dans un journal chaîné qu'on ne peut ni modifier ni effacer.",
              "A SHA-256-chained ballot box and signed ballots; émargement written in the same transaction as the ballot; every administrative action recorded in a hash-chained journal that can be neither changed nor deleted."),
            [DroppedByChain, Reordered, KillDuringBurst, JournalImmutable, JournalFlipLocated]),
        Objective("1-11",
            T("Dépouillement vérifiable a posteriori", "The count can be verified afterwards"),
            T("S’assurer que le dépouillement de l’urne puisse être vérifié a posteriori.",
              "Make sure the count of the ballot box can be verified afterwards."),
            T("socle vote verify, la page de vérification ou belenios-tool revérifient tout à partir de l'urne publique seule : chaque bulletin, le total comme produit des bulletins comptés, chaque déchiffrement partiel, le résultat.",
              "socle vote verify, the verify page or belenios-tool re-check everything from the public ballot box alone: each ballot, the tally as the product of the counted ballots, each partial decryption, the result."),
            [ReferenceVerifies, WrongResult, TallyNotProduct, BeleniosTool]),

        // ——— Level 2 ———
        Objective("2-01",
            T("Haute disponibilité", "High availability"),
            T("Assurer une haute disponibilité de la solution.",
              "Ensure high availability of the solution."),
            T("Un récépissé n'est délivré qu'une fois le bulletin écrit durablement : un arrêt brutal du serveur ne perd aucun bulletin reçu, et le scrutin reprend au redémarrage.",
              "A receipt is given only once the ballot is durably written: a crash of the server loses no receipted ballot, and the vote resumes on restart."),
            [KillDuringBurst],
            T("Héberger avec redondance (serveur de secours prêt, sauvegardes, supervision) et tester la reprise avant le scrutin.",
              "Host with redundancy (a standby server, backups, monitoring) and test recovery before the vote.")),
        Objective("2-02",
            T("Contrôle automatique de l'intégrité", "Automatic integrity control"),
            T("Assurer un contrôle automatique de l’intégrité du système, de l’urne et de la liste d’émargement.",
              "Ensure automatic control of the integrity of the system, the ballot box and the émargement list."),
            T("Le moniteur d'intégrité revérifie l'urne en continu pendant le vote (chaîne, signatures, preuves) et alerte au premier écart ; l'émargement est écrit avec le bulletin ; le journal chaîné se vérifie de même.",
              "The integrity monitor re-verifies the ballot box continuously during the vote (chain, signatures, proofs) and alerts at the first discrepancy; émargement is written with the ballot; the hash-chained journal verifies the same way."),
            [IntegrityMonitor, KillDuringBurst, JournalFlipLocated]),
        Objective("2-03",
            T("Contrôle automatique de la plateforme par le bureau", "Automatic control of the platform by the bureau"),
            T("Permettre le contrôle automatique par le bureau électoral de l’intégrité de la plateforme de vote pendant tout le scrutin.",
              "Let the electoral bureau control the integrity of the voting platform automatically throughout the vote."),
            T("Les alertes du moniteur d'intégrité vont aux membres du bureau pendant tout le scrutin.",
              "The integrity monitor's alerts go to the members of the bureau throughout the vote."),
            [IntegrityMonitor]),
        Objective("2-04",
            T("Authentification des électeurs (risques majeurs et mineurs)", "Voter authentication (major and minor risks)"),
            T("Authentifier les électeurs en s’assurant que les risques majeurs et mineurs liés à une usurpation d’identité sont réduits de manière significative.",
              "Authenticate voters so that the major and minor risks of identity theft are significantly reduced."),
            T("Les deux facteurs de 1-03 arrivent par des canaux distincts : code de vote par courrier, ou mot de passe remis autrement que le code de vote. Un bulletin sans signature valide d'un code de vote de la liste est refusé.",
              "The two factors of 1-03 come through different channels: the credential by post, or a password delivered otherwise than the credential. A ballot without a valid signature by a listed credential is refused."),
            [VoterAuthentication, ServerKeepsNoSecret, UnknownCredential]),
        Objective("2-05",
            T("Cloisonnement logique entre scrutins", "Logical isolation between elections"),
            T("Assurer un cloisonnement logique entre chaque prestation de vote de sorte qu’il soit possible de stopper totalement un scrutin sans que cela ait le moindre impact sur les autres scrutins en cours.",
              "Logically isolate each election so that one can be stopped entirely without any impact on the other elections running."),
            T("Chaque scrutin a sa propre base de données, son propre processus (socle serve --election <id>), ses clés et ses codes de vote : arrêter l'un ne touche pas les autres.",
              "Each election has its own database, its own process (socle serve --election <id>), its own keys and credentials: stopping one does not touch the others."),
            [ElectionsIsolated]),
        Objective("2-06",
            T("Système d'information sécurisé selon l'ANSSI", "An information system secured as ANSSI recommends"),
            T("Utiliser un système d’information mettant en œuvre les mesures de sécurité physique et logique recommandées par les éditeurs et l’ANSSI.",
              "Use an information system that applies the physical and logical security measures recommended by the vendors and by ANSSI (the French national cybersecurity agency)."),
            T("Socle est un seul service à déployer, dont les réglages sont validés au démarrage ; l'hébergement relève de l'organisateur.",
              "Socle is one service to deploy, whose settings are validated at start; hosting is the organiser's."),
            [],
            T("Héberger sur un système durci selon les guides de l'ANSSI : mises à jour, TLS, accès d'administration restreints et journalisés, sauvegardes chiffrées, sécurité physique du centre d'hébergement.",
              "Host on a system hardened following ANSSI's guides: updates, TLS, restricted and logged administrative access, encrypted backups, physical security of the data centre.")),
        Objective("2-07",
            T("Transparence de l'urne pour tous les électeurs", "Ballot box transparent to every voter"),
            T("Assurer la transparence de l’urne pour tous les électeurs.",
              "Make the ballot box transparent to every voter."),
            T("L'urne (chaque bulletin chiffré et son numéro de suivi) est publique et téléchargeable ; chaque électeur y retrouve son numéro de suivi et peut la faire vérifier.",
              "The ballot box (every encrypted ballot and its tracking number) is public and downloadable; each voter finds her tracking number in it and can have it verified."),
            [PublishedBoards, AnyoneVerifies]),

        // ——— Level 3 ———
        Objective("3-01",
            T("Étude des risques selon une méthode éprouvée", "Risk study with a proven method"),
            T("Etudier les risques selon une méthode éprouvée afin de définir les mesures les plus adéquates au contexte de mise en œuvre.",
              "Study the risks with a proven method to decide the measures best suited to the context."),
            T("Le questionnaire de niveau de risque et le rapport de conformité de Socle fournissent des entrées à l'étude.",
              "Socle's risk-level questionnaire and compliance report give inputs to the study."),
            [LevelOneAssociation, LevelThreeTension],
            T("Mener l'étude des risques selon une méthode éprouvée (par exemple EBIOS Risk Manager) et la remettre à l'expert.",
              "Carry out the risk study with a proven method (for instance EBIOS Risk Manager) and give it to the expert.")),
        Objective("3-02",
            T("Transparence de l'urne avec des outils tiers", "Ballot box transparent with third-party tools"),
            T("Permettre la transparence de l’urne pour tous les électeurs à partir d’outils tiers.",
              "Make the ballot box transparent to every voter with third-party tools."),
            T("Les urnes de Socle suivent les formats publics de Belenios : l'outil de Belenios (belenios-tool) les vérifie, et Socle vérifie les urnes de Belenios.",
              "Socle's ballot boxes follow Belenios' public formats: Belenios' own tool (belenios-tool) verifies them, and Socle verifies Belenios' ballot boxes."),
            [BeleniosTool, ReferenceByteForByte]),
        Objective("3-03",
            T("Très haute disponibilité, y compris en cas d'avarie majeure", "Very high availability, including major failures"),
            T("Assurer une très haute disponibilité de la solution de vote en prenant en compte les risques d’avarie majeure.",
              "Ensure very high availability of the voting solution, taking the risk of major failures into account."),
            T("Chaque bulletin est écrit durablement avant son récépissé ; la tête de l'urne publique et le journal chaîné montrent qu'une restauration n'a rien perdu.",
              "Each ballot is durably written before its receipt; the head of the public ballot box and the hash-chained journal show that a restore lost nothing."),
            [KillDuringBurst, CutBoardHead],
            T("Prévoir un site de secours dans un autre centre d'hébergement, des sauvegardes continues hors site et un plan de reprise testé.",
              "Provide a standby site in another data centre, continuous off-site backups and a tested recovery plan.")),
        Objective("3-04",
            T("Contrôle automatique et manuel de la plateforme par le bureau", "Automatic and manual control of the platform by the bureau"),
            T("Permettre le contrôle automatique et manuel par le bureau électoral de l’intégrité de la plateforme pendant tout le scrutin.",
              "Let the electoral bureau control the integrity of the platform automatically and manually throughout the vote."),
            T("Automatique : le moniteur d'intégrité et ses alertes au bureau. Manuel : à tout moment, un membre du bureau télécharge l'urne et la vérifie lui-même avec socle vote verify ou belenios-tool, et consulte le journal chaîné.",
              "Automatic: the integrity monitor and its alerts to the bureau. Manual: at any time a bureau member downloads the ballot box and verifies it herself with socle vote verify or belenios-tool, and reads the hash-chained journal."),
            [IntegrityMonitor, CliVerifyOk, CliVerifyFails]),
        Objective("3-05",
            T("Cloisonnement physique entre scrutins", "Physical isolation between elections"),
            T("Assurer un cloisonnement physique entre chaque prestation de vote de sorte qu’il soit possible de stopper totalement un scrutin sans que cela ait le moindre impact sur les autres scrutins en cours.",
              "Physically isolate each election so that one can be stopped entirely without any impact on the other elections running."),
            T("Un processus et une base par scrutin : chaque scrutin peut tourner sur sa propre machine.",
              "One process and one database per election: each election can run on its own machine."),
            [ElectionsIsolated],
            T("Déployer chaque scrutin sur une machine dédiée (serveur physique ou hôte distinct).",
              "Deploy each election on a dedicated machine (a separate physical server or host).")),

        // ——— Other requirements of the text ———
        Item("RQ-1", CnilItemKind.OtherRequirement,
            T("Heures d'ouverture et de fermeture contrôlées par le bureau", "Opening and closing times controlled by the bureau"),
            T("Les heures d'ouverture et de fermeture du scrutin électronique doivent pouvoir être contrôlées par les membres du bureau de vote et les personnes habilitées.",
              "The opening and closing times of the electronic vote must be controllable by the members of the bureau and the persons entitled to oversee the vote."),
            T("Le bureau fixe l'ouverture et la fermeture ; le serveur refuse tout bulletin hors de ces heures ; chaque changement est consigné au journal.",
              "The bureau sets the opening and closing; the server refuses any ballot outside those times; each change is recorded in the journal."),
            [BallotOutsideHours, BallotAfterClosing]),
        Item("RQ-2", CnilItemKind.OtherRequirement,
            T("Fichiers d'électeurs : usage limité et confidentialité", "Voter files: limited use and confidentiality"),
            T("Les fichiers nominatifs des électeurs ne servent qu'à établir la liste électorale, adresser le matériel de vote et réaliser les émargements ; leur confidentialité s'impose aussi aux techniciens.",
              "The voter files serve only to draw up the electoral list, send the voting material and record émargements; their confidentiality binds the technicians too."),
            T("La liste électorale sert à l'envoi des codes de vote et à l'émargement ; l'urne ne contient aucune identité ; chaque action d'administration est journalisée.",
              "The electoral list serves to send the credentials and to record émargement; the ballot box holds no identity; every administrative action is journalled."),
            [ServerKeepsNoSecret],
            T("Restreindre l'accès aux fichiers d'électeurs, y compris pour les techniciens, et en interdire tout autre usage.",
              "Restrict access to the voter files, technicians included, and forbid any other use.")),
        Item("RQ-3", CnilItemKind.OtherRequirement,
            T("Choix clair, vote blanc, retour possible, confirmation", "Clear choice, blank vote, going back, confirmation"),
            T("L'électeur voit clairement son choix, peut voter blanc ou nul lorsque les textes le prévoient et revenir sur son choix avant de valider ; il reçoit la confirmation de son vote et peut la conserver.",
              "The voter sees her choice clearly, can vote blank or spoilt when the rules provide for it and go back on her choice before validating; she receives a confirmation of her vote and can keep it."),
            T("L'isoloir montre le choix avant validation et permet d'y revenir ; le vote blanc est prévu par le protocole (preuve de vote blanc) ; le récépissé est le numéro de suivi, à conserver et à retrouver dans l'urne publique.",
              "The booth shows the choice before validation and lets the voter go back; the blank vote is part of the protocol (blank proof); the receipt is the tracking number, to keep and to find in the public ballot box."),
            [BlankProofFlip, OutsideMinMax]),
        Item("RQ-4", CnilItemKind.OtherRequirement,
            T("Scrutin mixte : mêmes possibilités, pas de double vote", "Mixed paper and internet vote: same options, no double vote"),
            T("Dans un scrutin mixte, le vote électronique offre les mêmes possibilités que le vote papier, et la solution permet d'écarter les votes par correspondance papier d'une personne ayant déjà voté par Internet.",
              "In a mixed vote, the electronic vote offers the same options as the paper vote, and the solution makes it possible to set aside the paper votes of a person who has already voted online."),
            T("Export de la liste des votants par internet pour écarter leurs votes papier ; import des électeurs votant sur papier, qui ne peuvent alors plus voter en ligne.",
              "Export of the list of internet voters to set aside their paper votes; import of the voters who vote on paper, who then cannot vote online."),
            [],
            T("Clore le vote internet avant le dépouillement papier et écarter, sous le contrôle du bureau, les enveloppes des électeurs émargés en ligne.",
              "Close the internet vote before the paper count and set aside, under the bureau's control, the envelopes of voters marked as having voted online.")),
        Item("RQ-5", CnilItemKind.OtherRequirement,
            T("Notice explicative aux électeurs", "Explanatory notice to voters"),
            T("Quel que soit le niveau, fournir aux électeurs, en temps utile, une notice explicative détaillant les opérations de vote et le fonctionnement général du système ; elle ne remplace pas l'information due au titre des articles 13 et 14 du RGPD.",
              "Whatever the level, give voters in good time an explanatory notice on the voting operations and how the system works; it does not replace the information due under articles 13 and 14 of the GDPR."),
            T("La documentation de Socle (fonctionnement, guide de vérification) sert de base à la notice.",
              "Socle's documentation (how it works, the verification guide) is a basis for the notice."),
            [],
            T("Rédiger et diffuser la notice explicative et l'information RGPD avant l'ouverture du scrutin.",
              "Write and send the explanatory notice and the GDPR information before the vote opens.")),
        Item("RQ-6", CnilItemKind.OtherRequirement,
            T("Accessibilité (RGAA)", "Accessibility (RGAA)"),
            T("Les plateformes de vote doivent être accessibles à toutes personnes, notamment en situation de handicap ; le RGAA s'impose au secteur public et ses prescriptions sont fortement recommandées aux autres organismes.",
              "Voting platforms must be accessible to everyone, including people with disabilities; the RGAA (the French accessibility standard) binds the public sector and is strongly recommended to other bodies."),
            T("L'isoloir est conçu selon le RGAA, en français et en anglais.",
              "The booth is designed following the RGAA, in French and English."),
            [FrenchAndEnglish],
            T("Faire auditer l'accessibilité et publier la déclaration d'accessibilité (obligatoire pour le secteur public).",
              "Have accessibility audited and publish the accessibility statement (mandatory for the public sector).")),
        Item("RQ-7", CnilItemKind.OtherRequirement,
            T("Expertise indépendante", "Independent expert appraisal"),
            T("Faire expertiser la solution par un expert indépendant (code source, scellement, système, réseau, chiffrement, authentification et transmission des secrets, niveau de risque, réponse aux objectifs) ; audits et tests d'intrusion aux niveaux 2 et 3 ; une expertise de moins de 24 mois (niveau 1) ou 12 mois (niveau 2) peut être reprise pour un élément inchangé, elle est refaite pour chaque élection au niveau 3.",
              "Have the solution appraised by an independent expert (source code, sealing, system, network, encryption, authentication and delivery of secrets, risk level, answers to the objectives); audits and penetration tests at levels 2 and 3; an appraisal less than 24 months old (level 1) or 12 months (level 2) may be reused for an unchanged element; at level 3 it is redone for each election."),
            T("Code source et formats publics, documentés octet par octet ; tests reproductibles ; l'urne se revérifie avec des outils tiers.",
              "Public source code and formats, documented byte by byte; reproducible tests; the ballot box re-verifies with third-party tools."),
            [BeleniosTool],
            T("Mandater un expert indépendant ; lui fournir les éléments de l'analyse du niveau de risque ; conserver les empreintes des composants expertisés pour vérifier qu'ils n'ont pas changé.",
              "Appoint an independent expert; give the expert the elements of the risk-level analysis; keep the fingerprints of the appraised components to check they did not change.")),
        Item("RQ-8", CnilItemKind.OtherRequirement,
            T("Analyse d'impact (AIPD)", "Data protection impact assessment (DPIA)"),
            T("Au regard des données sensibles (opinions politiques, appartenance syndicale) et de la collecte à large échelle, une analyse d'impact relative à la protection des données peut être nécessaire.",
              "Given the sensitive data (political opinions, trade-union membership) and large-scale collection, a data protection impact assessment may be needed."),
            T("Ce catalogue et le rapport de conformité alimentent l'analyse.",
              "This catalogue and the compliance report feed the assessment."),
            [],
            T("Évaluer si une AIPD est requise et la réaliser le cas échéant.",
              "Assess whether a DPIA is required and carry it out if so.")),

        // ——— Contrôle a posteriori ———
        Item("CP-1", CnilItemKind.AfterTheFactGuarantee,
            T("Intégrité du procédé de scellement", "Sealing stayed intact"),
            T("le procédé de scellement est resté intègre durant le scrutin",
              "the sealing process stayed intact during the vote"),
            T("L'urne est une chaîne de hachages SHA-256 dont la tête est publiée ; le journal d'administration est chaîné de même ; l'archive finale est scellée avec son empreinte SHA-256.",
              "The ballot box is a SHA-256 hash chain whose head is published; the administrative journal is chained the same way; the final archive is sealed with its SHA-256 fingerprint."),
            [EventFlip, CutBoardHead, JournalRelinkBreaks]),
        Item("CP-2", CnilItemKind.AfterTheFactGuarantee,
            T("Clés connues de leurs seuls détenteurs", "Keys known only to their holders"),
            T("les clés de chiffrement/déchiffrement ne sont connues que de leurs seuls détenteurs",
              "the encryption/decryption keys are known only to their holders"),
            T("Chaque assesseur crée sa clé dans son navigateur et ne publie que sa clé publique, avec une preuve de connaissance ; le serveur ne stocke ni clé privée d'assesseur ni code de vote privé.",
              "Each trustee creates her key in her browser and publishes only the public key, with a proof of knowledge; the server stores no trustee private key and no private credential."),
            [ServerKeepsNoSecret, TrusteeProofs, WrongTrusteeProof]),
        Item("CP-3", CnilItemKind.AfterTheFactGuarantee,
            T("Anonymat du vote", "The vote is anonymous"),
            T("le vote est anonyme lorsque la législation l’impose",
              "the vote is anonymous where the law requires it"),
            T("Aucune identité dans l'urne ; seuls les totaux sont déchiffrés, et il y faut plusieurs membres du bureau (voir 1-07).",
              "No identity in the ballot box; only totals are decrypted, and that takes several bureau members (see 1-07)."),
            [ServerKeepsNoSecret, ThresholdDecryption]),
        Item("CP-4", CnilItemKind.AfterTheFactGuarantee,
            T("L'émargement ne contient que les votants", "The émargement list holds only those who voted"),
            T("la liste d'émargement ne comprend que la liste des électeurs ayant voté",
              "the émargement list contains only the voters who voted"),
            T("Un électeur n'est émargé que dans la transaction qui enregistre son bulletin : pas de bulletin sans émargement, pas d'émargement sans bulletin.",
              "A voter is marked only in the transaction that records her ballot: no ballot without émargement, no émargement without a ballot."),
            [KillDuringBurst]),
        Item("CP-5", CnilItemKind.AfterTheFactGuarantee,
            T("L'urne dépouillée est celle des électeurs, et seulement elle", "The counted ballot box is the voters', and only theirs"),
            T("l'urne dépouillée est bien celle contenant les suffrages des électeurs et qu’elle ne contient que ces suffrages",
              "the counted ballot box is the one holding the voters' ballots and holds only those"),
            T("Chaque bulletin est signé par un code de vote de la liste publiée ; le total chiffré doit être le produit des bulletins comptés ; l'urne chaînée ne peut perdre, dupliquer ni réordonner un bulletin sans que la vérification échoue.",
              "Each ballot is signed by a credential of the published list; the encrypted tally must be the product of the counted ballots; the chained ballot box cannot lose, duplicate or reorder a ballot without verification failing."),
            [UnknownCredential, TallyNotProduct, DroppedByTally, Duplicated]),
        Item("CP-6", CnilItemKind.AfterTheFactGuarantee,
            T("Aucun décompte partiel pendant le scrutin", "No partial count during the vote"),
            T("aucun décompte partiel n'a pu être effectué durant le scrutin",
              "no partial count could be made during the vote"),
            T("Seul le total est déchiffré, après la fermeture, et il y faut les assesseurs et la part du serveur ; le dépouillement avant la fermeture est refusé.",
              "Only the total is decrypted, after closing, and that takes the trustees and the server's share; a count before closing is refused."),
            [TallyBeforeClosing, TallyNeedsTrustees, ThresholdDecryption]),
        Item("CP-7", CnilItemKind.AfterTheFactGuarantee,
            T("Dépouillement vérifiable et correct", "The count can be verified and was correct"),
            T("le dépouillement de l’urne peut être vérifié a posteriori et qu’il s’est déroulé de façon correcte",
              "the count of the ballot box can be verified afterwards and was carried out correctly"),
            T("Chacun revérifie le dépouillement depuis l'urne publique : chaque déchiffrement partiel est prouvé, le résultat recalculé (socle vote verify, belenios-tool).",
              "Anyone re-checks the count from the public ballot box: each partial decryption is proved, the result recomputed (socle vote verify, belenios-tool)."),
            [ReferenceVerifies, BeleniosTool, WrongPartial]),

        // ——— Conservation des données ———
        Item("AR-1", CnilItemKind.ArchivingRequirement,
            T("Conservation sous scellés jusqu'à l'épuisement des recours", "Kept under seal until appeals are exhausted"),
            T("Tous les fichiers supports (copies des codes sources et exécutables des programmes et du système sous-jacent, matériels de vote, fichiers d'émargement, de résultats, sauvegardes) doivent être conservés sous scellés jusqu'à l'épuisement des voies et délais de recours contentieux.",
              "All supporting files (copies of the source code and executables of the programs and the underlying system, voting material, émargement and result files, backups) must be kept under seal until all means and time limits of appeal are exhausted."),
            T("À l'archivage, l'urne est scellée avec son empreinte SHA-256, et le passage à l'état archivé est consigné au journal chaîné.",
              "On archiving, the ballot box is sealed with its SHA-256 fingerprint, and the move to the archived state is recorded in the hash-chained journal."),
            [BoardOnlyGrows],
            T("Placer aussi sous scellés les autres supports : copies du code source et des exécutables de la version expertisée, fichiers d'émargement et de résultats, sauvegardes.",
              "Also seal the other supports: copies of the source and executables of the appraised version, émargement and result files, backups.")),
        Item("AR-2", CnilItemKind.ArchivingRequirement,
            T("Sous le contrôle de la commission électorale, secret du vote garanti", "Under the electoral commission's control, secrecy kept"),
            T("Cette conservation doit être assurée sous le contrôle de la commission électorale dans des conditions garantissant le secret du vote.",
              "This storage must be under the control of the electoral commission, in conditions that guarantee the secrecy of the vote."),
            T("L'archive ne contient que des bulletins chiffrés : la conserver ne révèle aucun vote.",
              "The archive holds only encrypted ballots: keeping it reveals no vote."),
            [],
            T("Confier la garde des scellés à la commission électorale ou à la personne qu'elle désigne.",
              "Entrust the sealed supports to the electoral commission or the person it designates.")),
        Item("AR-3", CnilItemKind.ArchivingRequirement,
            T("Transfert des supports par le prestataire", "Supports handed over by the provider"),
            T("Obligation doit être faite au prestataire de service, le cas échéant, de transférer l'ensemble de ces supports à la personne ou au tiers nommément désigné pour assurer la conservation de ces supports.",
              "Where there is a service provider, it must be obliged to transfer all these supports to the person or third party named to keep them."),
            T("Tout s'exporte en fichiers ouverts : l'urne au format Belenios, le journal chaîné, l'archive scellée.",
              "Everything exports as open files: the ballot box in Belenios format, the hash-chained journal, the sealed archive."),
            [],
            T("Prévoir au contrat l'obligation du prestataire ou de l'hébergeur de transférer les supports à la personne désignée.",
              "Write into the contract the provider's or host's duty to transfer the supports to the designated person.")),
        Item("AR-4", CnilItemKind.ArchivingRequirement,
            T("Destruction après les délais de recours", "Destruction after the appeal period"),
            T("Lorsqu’aucune action contentieuse n'a été engagée à l'épuisement des délais de recours, il doit être procédé à la destruction de ces documents sous le contrôle de la commission électorale.",
              "When no legal action has been brought by the end of the appeal period, these documents must be destroyed under the control of the electoral commission."),
            T("Après le délai de recours, le passage à l'état détruit efface les données du scrutin et le consigne au journal chaîné.",
              "After the appeal period, the move to the destroyed state erases the election's data and records it in the hash-chained journal."),
            [],
            T("Vérifier qu'aucun recours n'est engagé, puis faire détruire les supports sous le contrôle de la commission électorale, avec procès-verbal.",
              "Check that no appeal was brought, then have the supports destroyed under the electoral commission's control, with minutes.")),
    ];

    // First of each id (ComplianceTests checks there are no duplicates; a duplicate must not break type initialisation).
    private static readonly Dictionary<string, CnilItem> ById =
        All.GroupBy(i => i.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>The 23 security objectives, 1-01 to 3-05.</summary>
    public static IReadOnlyList<CnilItem> SecurityObjectives { get; } = Of(CnilItemKind.SecurityObjective);

    /// <summary>The seven guarantees of « Les garanties minimales pour un contrôle a posteriori ».</summary>
    public static IReadOnlyList<CnilItem> AfterTheFactGuarantees { get; } = Of(CnilItemKind.AfterTheFactGuarantee);

    /// <summary>The requirements of « La conservation des données portant sur l'opération électorale ».</summary>
    public static IReadOnlyList<CnilItem> ArchivingRequirements { get; } = Of(CnilItemKind.ArchivingRequirement);

    /// <summary>The other requirements of the text (the vote, notice, accessibility, expert appraisal, DPIA).</summary>
    public static IReadOnlyList<CnilItem> OtherRequirements { get; } = Of(CnilItemKind.OtherRequirement);

    private static CnilItem[] Of(CnilItemKind kind) => All.Where(i => i.Kind == kind).ToArray();

    /// <summary>The item with this id, or null.</summary>
    public static CnilItem? Find(string id) => ById.GetValueOrDefault(id);

    /// <summary>The item with this id; throws for an id that is not in the catalogue (a bug).</summary>
    public static CnilItem Get(string id) =>
        ById.TryGetValue(id, out var item) ? item : throw new ArgumentException($"No CNIL item '{id}'.", nameof(id));

    /// <summary>
    /// Everything that applies at a risk level: the objectives of that level and of the levels below (they are
    /// cumulative), and every unnumbered item.
    /// </summary>
    public static IReadOnlyList<CnilItem> ApplicableAt(RiskLevel level)
    {
        if (!Enum.IsDefined(level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "A risk level is 1, 2 or 3.");
        }
        return All.Where(i => i.Level <= level).ToArray();
    }
}
