namespace Socle.Modules.Batteries.Access;

/// <summary>
/// One attribute of the passport: where it sits in the content (section and property names of the Battery Pass 1.2
/// sub-models, dot-separated), who may read it, whether it changes over the battery's life, and how to call it.
/// Everything below an attribute's path belongs to it (a list of labels, an address).
/// </summary>
public sealed record PassportAttribute(
    string Path,
    AccessLevel Access,
    bool Dynamic,
    string LabelFr,
    string LabelEn,
    string? Unit,
    string Reference)
{
    public string Section => Path[..Path.IndexOf('.', StringComparison.Ordinal)];

    public string[] Segments => Path.Split('.');
}

/// <summary>
/// The passport's attributes and their access levels, after Annex XIII of Regulation (EU) 2023/1542 and the Battery Pass
/// longlist (DIN DKE SPEC 99100): model data is public; detailed composition, spare parts, dismantling and safety
/// instructions are for persons with a legitimate interest and the Commission; test reports for notified bodies, market
/// surveillance and the Commission; the individual battery's status and use data for persons with a legitimate interest.
/// A property the catalogue does not list is shown to the operator only (deny by default).
/// </summary>
public static class AttributeCatalog
{
    private const string GPI = "generalProductInformation";
    private const string CF = "carbonFootprint";
    private const string SCDD = "supplyChainDueDiligence";
    private const string MC = "materialComposition";
    private const string CIRC = "circularity";
    private const string PERF = "performance";
    private const string LAB = "labels";
    private const string EXT = "extensions";

    private static PassportAttribute A(string path, AccessLevel access, string fr, string en, string reference, string? unit = null, bool dynamic = false) =>
        new(path, access, dynamic, fr, en, unit, reference);

    private static PassportAttribute D(string path, string fr, string en, string? unit = null) =>
        new($"{PERF}.batteryCondition.{path}", AccessLevel.LegitimateInterestOnly, true, fr, en, unit, "Annex XIII (4)(a),(c)");

    private static PassportAttribute T(string path, string fr, string en, string? unit = null, string reference = "Annex XIII (1)(g)-(q); Annex IV") =>
        new($"{PERF}.batteryTechicalProperties.{path}", AccessLevel.Public, false, fr, en, unit, reference);

    public static readonly IReadOnlyList<PassportAttribute> All =
    [
        // General product information (DIN DKE SPEC 99100 §6.1)
        A($"{GPI}.batteryPassportIdentifier", AccessLevel.Public, "Identifiant du passeport", "Passport identifier", "Art. 77(3)"),
        A($"{GPI}.productIdentifier", AccessLevel.Public, "Identifiant de la batterie", "Battery identifier", "Art. 77(3); ISO/IEC 15459"),
        A($"{GPI}.batteryCategory", AccessLevel.Public, "Catégorie", "Category", "Annex VI Part A (1)"),
        A($"{GPI}.manufacturerInformation", AccessLevel.Public, "Fabricant", "Manufacturer", "Annex VI Part A (1)"),
        A($"{GPI}.manufacturingPlace", AccessLevel.Public, "Lieu de fabrication", "Place of manufacture", "Annex VI Part A (1)"),
        A($"{GPI}.manufacturingDate", AccessLevel.Public, "Date de fabrication", "Date of manufacture", "Annex VI Part A (1)"),
        A($"{GPI}.batteryMass", AccessLevel.Public, "Masse", "Mass", "Annex VI Part A (1)", "kg"),
        A($"{GPI}.operatorInformation", AccessLevel.Public, "Opérateur économique", "Economic operator", "Annex XIII (1)(a)"),
        A($"{GPI}.puttingIntoService", AccessLevel.Public, "Mise en service", "Putting into service", "Annex XIII (1)(a)"),
        A($"{GPI}.warrentyPeriod", AccessLevel.Public, "Garantie commerciale (champ Battery Pass, --MM)", "Commercial warranty (Battery Pass field, --MM)", "Annex XIII (1)(m)"),
        A($"{GPI}.batteryStatus", AccessLevel.LegitimateInterestOnly, "Statut de la batterie", "Battery status", "Annex XIII (4)(b)", dynamic: true),

        // Carbon footprint (§6.3), Art. 7
        A($"{CF}.batteryCarbonFootprint", AccessLevel.Public, "Empreinte carbone", "Carbon footprint", "Art. 7; Annex XIII (1)(c)", "kg CO2e/kWh"),
        A($"{CF}.carbonFootprintPerLifecycleStage", AccessLevel.Public, "Empreinte par étape du cycle de vie", "Footprint per life-cycle stage", "Art. 7; Annex II", "kg CO2e/kWh"),
        A($"{CF}.carbonFootprintPerformanceClass", AccessLevel.Public, "Classe de performance", "Performance class", "Art. 7(2)"),
        A($"{CF}.carbonFootprintStudy", AccessLevel.Public, "Étude d'empreinte carbone", "Carbon footprint study", "Art. 7(1)"),
        A($"{CF}.absoluteCarbonFootprint", AccessLevel.Public, "Empreinte carbone absolue", "Absolute carbon footprint", "DIN DKE SPEC 99100 §6.3", "kg CO2e"),

        // Supply-chain due diligence (§6.4), Art. 52
        A($"{SCDD}.supplyChainDueDiligenceReport", AccessLevel.Public, "Rapport de devoir de vigilance", "Due diligence report", "Art. 52(3); Annex XIII (1)(d)"),
        A($"{SCDD}.thirdPartyAussurances", AccessLevel.Public, "Assurances de tiers", "Third-party assurances", "DIN DKE SPEC 99100 §6.4"),
        A($"{SCDD}.supplyChainIndicies", AccessLevel.Public, "Indices de chaîne d'approvisionnement", "Supply-chain indices", "DIN DKE SPEC 99100 §6.4"),

        // Material composition (§6.5)
        A($"{MC}.batteryChemistry", AccessLevel.Public, "Chimie", "Chemistry", "Annex VI Part A (6); Annex XIII (1)(b)"),
        A($"{MC}.hazardousSubstances", AccessLevel.Public, "Substances dangereuses", "Hazardous substances", "Annex VI Part A (7); Annex XIII (1)(b)"),
        A($"{MC}.batteryMaterials", AccessLevel.LegitimateInterestAndCommission, "Matériaux (cathode, anode, électrolyte)", "Materials (cathode, anode, electrolyte)", "Annex XIII (2)(a)", "kg"),

        // Circularity (§6.6), Art. 8, 60
        A($"{CIRC}.recycledContent", AccessLevel.Public, "Contenu recyclé", "Recycled content", "Art. 8; Annex XIII (1)(e)", "%"),
        A($"{CIRC}.renewableContent", AccessLevel.Public, "Contenu renouvelable", "Renewable content", "Annex XIII (1)(f)", "%"),
        A($"{CIRC}.endOfLifeInformation", AccessLevel.Public, "Fin de vie, prévention et collecte", "End of life, prevention and collection", "Art. 60(1); Annex XIII (1)(r)"),
        A($"{CIRC}.safetyMeasures.extinguishingAgent", AccessLevel.Public, "Agents extincteurs", "Extinguishing agents", "Annex VI Part A (9)"),
        A($"{CIRC}.safetyMeasures.safetyInstructions", AccessLevel.LegitimateInterestAndCommission, "Consignes de sécurité", "Safety instructions", "Annex XIII (2)(d)"),
        A($"{CIRC}.dismantlingAndRemovalInformation", AccessLevel.LegitimateInterestAndCommission, "Démontage et retrait", "Dismantling and removal", "Annex XIII (2)(c)"),
        A($"{CIRC}.sparePartSources", AccessLevel.LegitimateInterestAndCommission, "Pièces détachées : références et fournisseurs", "Spare parts: numbers and suppliers", "Annex XIII (2)(b)"),

        // Performance and durability (§6.7): rated values, public
        T("ratedCapacity", "Capacité nominale", "Rated capacity", "Ah"),
        T("ratedEnergy", "Énergie nominale", "Rated energy", "kWh"),
        T("nominalVoltage", "Tension nominale", "Nominal voltage", "V"),
        T("minimumVoltage", "Tension minimale", "Minimum voltage", "V"),
        T("maximumVoltage", "Tension maximale", "Maximum voltage", "V"),
        T("originalPowerCapability", "Puissance initiale selon l'état de charge", "Original power capability by state of charge", "W"),
        T("ratedMaximumPower", "Puissance maximale nominale", "Rated maximum power", "W"),
        T("powerCapabilityRatio", "Rapport puissance/énergie", "Power capability ratio", "W/Wh"),
        T("expectedLifetime", "Durée de vie attendue", "Expected lifetime", "years"),
        T("expectedNumberOfCycles", "Nombre de cycles attendu", "Expected number of cycles", "cycles"),
        T("lifetimeReferenceTest", "Essai de référence de durée de vie", "Lifetime reference test"),
        T("cRateLifeCycleTest", "Régime C de l'essai de cyclage", "C-rate of the cycle-life test", "C"),
        T("cRate", "Régime C", "C-rate", "C"),
        T("capacityThresholdForExhaustion", "Seuil de capacité d'épuisement", "Capacity threshold for exhaustion", "%"),
        T("initialSelfDischarge", "Autodécharge initiale", "Initial self-discharge", "%/month"),
        T("roundtripEfficiency", "Rendement énergétique initial", "Initial round-trip efficiency", "%"),
        T("roundTripEfficiencyat50PerCentCycleLife", "Rendement à 50 % de la durée de vie", "Round-trip efficiency at 50 % of cycle life", "%"),
        T("initialInternalResistance", "Résistance interne initiale", "Initial internal resistance", "Ω"),
        T("temperatureRangeIdleState", "Plage de température au repos", "Idle-state temperature range", "°C"),
        // fades are the battery's state of health: individual data
        A($"{PERF}.batteryTechicalProperties.powerFade", AccessLevel.LegitimateInterestOnly, "Perte de puissance", "Power fade", "Annex XIII (4)(a)", "%", dynamic: true),
        A($"{PERF}.batteryTechicalProperties.roundTripEfficiencyFade", AccessLevel.LegitimateInterestOnly, "Perte de rendement", "Round-trip efficiency fade", "Annex XIII (4)(a)", "%", dynamic: true),

        // Performance and durability: the individual battery's condition (dynamic)
        D("stateOfCharge", "État de charge", "State of charge", "%"),
        D("stateOfCertifiedEnergy", "État d'énergie certifiée (SOCE)", "State of certified energy (SOCE)", "%"),
        D("remainingCapacity", "Capacité restante", "Remaining capacity", "Ah"),
        D("capacityFade", "Perte de capacité", "Capacity fade", "%"),
        D("remainingEnergy", "Énergie restante", "Remaining energy", "kWh"),
        D("remainingPowerCapability", "Puissance restante", "Remaining power capability", "W"),
        D("internalResistanceIncrease", "Augmentation de la résistance interne", "Internal resistance increase", "%"),
        D("remainingRoundTripEnergyEfficiency", "Rendement énergétique restant", "Remaining round-trip efficiency", "%"),
        D("evolutionOfSelfDischarge", "Évolution de l'autodécharge", "Evolution of self-discharge", "%"),
        D("currentSelfDischargingRate", "Taux d'autodécharge actuel", "Current self-discharge rate", "%/month"),
        D("numberOfFullCycles", "Nombre de cycles complets", "Number of full cycles", "cycles"),
        D("energyThroughput", "Énergie échangée cumulée", "Energy throughput", "kWh"),
        D("capacityThroughput", "Capacité échangée cumulée", "Capacity throughput", "Ah"),
        D("temperatureInformation", "Temps passé aux températures extrêmes", "Time at extreme temperatures", "h"),
        D("negativeEvents", "Événements négatifs (accidents, décharges profondes)", "Negative events (accidents, deep discharges)"),

        // Labels and conformity (§6.2)
        A($"{LAB}.labels", AccessLevel.Public, "Étiquettes et symboles", "Labels and symbols", "Art. 13; Annex XIII (1)(a)"),
        A($"{LAB}.declarationOfConformity", AccessLevel.Public, "Déclaration UE de conformité", "EU declaration of conformity", "Art. 18; Annex XIII (1)(s)"),
        A($"{LAB}.resultOfTestReport", AccessLevel.AuthoritiesAndCommission, "Rapports d'essais", "Test reports", "Annex XIII (3)"),

        // Socle extensions: what Battery Pass 1.2 cannot express
        A($"{EXT}.warrantyYears", AccessLevel.Public, "Durée de la garantie commerciale", "Commercial warranty period", "Annex XIII (1)(m)", "years"),
        A($"{EXT}.physicalDimensions", AccessLevel.Public, "Dimensions", "Dimensions", "Catena-X characteristics.physicalDimension", "mm"),
        A($"{EXT}.cycleLifeTest", AccessLevel.Public, "Conditions de l'essai de cyclage", "Cycle-life test conditions", "Annex IV Part B; Annex XIII (1)(j)"),
        A($"{EXT}.roundTripEfficiencyDepthOfDischarge_pct", AccessLevel.Public, "Profondeur de décharge de l'essai de rendement", "Depth of discharge of the efficiency test", "Annex IV Part A (4)", "%"),
    ];

    private static readonly Dictionary<string, PassportAttribute> ByPath = All.ToDictionary(a => a.Path, StringComparer.Ordinal);

    public static PassportAttribute? Find(string path) => ByPath.GetValueOrDefault(path);

    /// <summary>The Battery Pass 1.2 sub-model sections, in the Battery Pass order, with their schema ids.</summary>
    public static readonly IReadOnlyList<(string Section, string SchemaId, string Fr, string En)> Sections =
    [
        (GPI, Schemas.SchemaCatalog.GeneralProductInformation, "Informations générales", "General product information"),
        (CF, Schemas.SchemaCatalog.CarbonFootprint, "Empreinte carbone", "Carbon footprint"),
        (SCDD, Schemas.SchemaCatalog.SupplyChainDueDiligence, "Devoir de vigilance", "Supply-chain due diligence"),
        (MC, Schemas.SchemaCatalog.MaterialComposition, "Composition", "Material composition"),
        (CIRC, Schemas.SchemaCatalog.Circularity, "Circularité", "Circularity"),
        (PERF, Schemas.SchemaCatalog.Performance, "Performance et durabilité", "Performance and durability"),
        (LAB, Schemas.SchemaCatalog.Labels, "Étiquetage et conformité", "Labels and conformity"),
    ];

    /// <summary>Socle's extension section (not a Battery Pass sub-model): the warranty in years and the dimensions.</summary>
    public static readonly (string Section, string SchemaId, string Fr, string En) Extensions =
        (EXT, Schemas.SchemaCatalog.Extensions, "Compléments", "Extensions");

    /// <summary>Every section a passport may hold: the seven Battery Pass sub-models and the extensions.</summary>
    public static IEnumerable<(string Section, string SchemaId, string Fr, string En)> AllSections => [.. Sections, Extensions];
}
