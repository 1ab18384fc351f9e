using Socle.Modules.Heat.Scenarios;

namespace Socle.Heat.Tests.Scenarios;

/// <summary>
/// The definitions the shipped JSON files of the brief's networks are generated from (SchematicNetwork lays out their
/// networks). The files are what users open and edit; <see cref="ShippedScenarioTests"/> checks they still match.
/// </summary>
public static class ShippedScenarioSources
{
    private const string Brief = "Dalkia, « Décarboner les territoires avec les réseaux de chaleur et de froid », AICVF 15/10/2025";

    public static IEnumerable<Scenario> All() => [Lisieux(), Rouen(), LeHavre(), PartDieu()];

    private static (IReadOnlyList<NetworkNode>, IReadOnlyList<NetworkPipe>, IReadOnlyList<Substation>) Layout(
        BuildingGroup[] groups, double trench_m, int loops, double dt, int seed) => SchematicNetwork.Build(groups, 0, 0, trench_m, loops, dt, seed);

    private static IReadOnlyList<IReadOnlyList<double>> Square(double x0, double y0, double x1, double y1) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];

    public static Scenario Lisieux()
    {
        var (nodes, pipes, subs) = Layout(
        [
            new("hauteville-logements", "Hauteville, résidence", SubscriberType.Housing, 40, 500, 110, 420, 70, 900, 700, 450),
            new("hauteville-equipements", "Hauteville, équipement public", SubscriberType.Public, 12, 520, 25, 380, 0, 1000, 300, 500),
            new("centre-ville", "Centre-ville, sous-station", SubscriberType.Tertiary, 79, 240, 25, 200, 0, -600, -900, 550),
            new("centre-public", "Centre-ville, bâtiment public", SubscriberType.Public, 8, 560, 20, 400, 0, -400, -700, 300),
        ], trench_m: 16_000, loops: 3, dt: 30, seed: 14100);
        return new Scenario
        {
            Id = "lisieux",
            Name = "Lisieux — réseau de chaleur Hauteville et centre-ville",
            Description = "Réseau historique des années 60 (quartier Hauteville, fioul lourd puis gaz), chaufferie biomasse depuis 2007, extension de 79 sous-stations vers le centre-ville en 2024. Chaufferie biomasse 2 × 5,5 MW, chaufferie gaz 2 × 7 MW + 5,5 MW, une cogénération extérieure à la DSP.",
            Year = 2025,
            Climate = new ClimateRef { Source = "rouen" },
            Temperatures = new OperatingTemperatures { SupplyDesign_c = 95, SupplyMild_c = 80, Return_c = 55, Ground_c = 11 },
            Network = new NetworkLayout { Nodes = nodes, Pipes = pipes, PlantNode = "chaufferie", PlantPressure_bar = 7 },
            Substations = subs,
            Production =
            [
                new ProductionUnit { Id = "biomasse-1", Name = "Chaudière biomasse 5,5 MW n°1", Type = UnitType.BiomassBoiler, Capacity_kw = 5500, MinLoad = 0.3, Efficiency = 0.87, VariableCost_eur_per_mwh = 32, Months = [1, 2, 3, 4, 5, 6, 9, 10, 11, 12], FuelLhv_kwh_per_t = 3000 },
                new ProductionUnit { Id = "biomasse-2", Name = "Chaudière biomasse 5,5 MW n°2", Type = UnitType.BiomassBoiler, Capacity_kw = 5500, MinLoad = 0.3, Efficiency = 0.87, VariableCost_eur_per_mwh = 32, Months = [1, 2, 3, 11, 12], FuelLhv_kwh_per_t = 3000 },
                new ProductionUnit { Id = "cogeneration", Name = "Cogénération gaz (extérieure à la DSP)", Type = UnitType.GasChp, Capacity_kw = 3000, Efficiency = 0.45, ElectricEfficiency = 0.40, MeritOrder = 10, Months = [1, 2, 3, 11, 12], External = true, VariableCost_eur_per_mwh = 45 },
                new ProductionUnit { Id = "gaz-1", Name = "Chaudière gaz 7 MW n°1", Type = UnitType.GasBoiler, Capacity_kw = 7000, Efficiency = 0.93, VariableCost_eur_per_mwh = 90 },
                new ProductionUnit { Id = "gaz-2", Name = "Chaudière gaz 7 MW n°2", Type = UnitType.GasBoiler, Capacity_kw = 7000, Efficiency = 0.93, VariableCost_eur_per_mwh = 90 },
                new ProductionUnit { Id = "gaz-3", Name = "Chaudière gaz 5,5 MW", Type = UnitType.GasBoiler, Capacity_kw = 5500, Efficiency = 0.93, VariableCost_eur_per_mwh = 90 },
            ],
            Economics = new Economics { FixedCost_eur_per_year = 450_000, GasPrice_eur_per_mwh = 95 },
            Regulation = new RegulatoryInputs { PriorityZone = Square(-1600, -1900, 2100, 1400) },
            Carbon = new CarbonSettings { IndividualGasBoilerEfficiency = 0.75 },
            Published = new PublishedFigures { Source = Brief + " : moyens de production seulement (2 × 5,5 MW biomasse, 2 × 7 + 5,5 MW gaz, cogénération extérieure), 79 sous-stations ajoutées en 2024" },
            Assumptions =
            [
                "La plaquette ne donne ni livraisons, ni longueur, ni taux EnR&R : livraisons d'environ 56 GWh/an supposées, 16 km de tranchée, tracé schématique (SchematicNetwork).",
                "Quartier Hauteville : 40 résidences de 70 logements et 12 équipements publics ; centre-ville : les 79 sous-stations de l'extension 2024 et 8 bâtiments publics.",
                "Cogénération gaz extérieure : 3 MW thermiques en contrat d'hiver (novembre à mars), chaleur achetée, comptée fossile (R712-1).",
                "Biomasse : une chaudière toute l'année hors juillet-août, la seconde en hiver ; plaquettes à 3 MWh/t.",
                "Référence CO2 : chaudières gaz collectives existantes non condensation (75 %, FCU).",
            ],
        };
    }

    public static Scenario Rouen()
    {
        var (nodes, pipes, subs) = Layout(
        [
            new("rouen-logements", "Rouen (est), résidence", SubscriberType.Housing, 60, 960, 230, 700, 120, -1500, -1800, 1300),
            new("bihorel-logements", "Bihorel, résidence", SubscriberType.Housing, 25, 800, 190, 580, 100, 900, 900, 900),
            new("bois-guillaume-logements", "Bois-Guillaume, résidence", SubscriberType.Housing, 25, 720, 170, 520, 90, -1200, 2100, 1000),
            new("darnetal-logements", "Darnétal, résidence", SubscriberType.Housing, 20, 640, 150, 460, 80, 2600, -700, 800),
            new("equipements", "Équipement public", SubscriberType.Public, 20, 1110, 60, 800, 0, -300, -300, 2400),
            new("tertiaire", "Bâtiment tertiaire", SubscriberType.Tertiary, 10, 960, 60, 700, 0, -1800, -1000, 900),
        ], trench_m: 45_000, loops: 6, dt: 35, seed: 76000);
        return new Scenario
        {
            Id = "rouen-petite-bouverie",
            Name = "Rouen — réseau de chaleur Petite Bouverie",
            Description = "Réseau de la Métropole Rouen Normandie (Rouen, Bois-Guillaume, Bihorel, Darnétal), 45 km. Chaufferie biomasse à combustion étagée brûlant une biomasse « singulière » (écorces, produits secs, pieds de lin, bois bocagers) avec condenseur Terraotherm ; appoint gaz.",
            Year = 2025,
            Climate = new ClimateRef { Source = "rouen" },
            Temperatures = new OperatingTemperatures { SupplyDesign_c = 100, SupplyMild_c = 78, Return_c = 58, Ground_c = 11 },
            Network = new NetworkLayout { Nodes = nodes, Pipes = pipes, PlantNode = "chaufferie", PlantPressure_bar = 10 },
            Substations = subs,
            Production =
            [
                new ProductionUnit { Id = "biomasse", Name = "Chaufferie biomasse (combustion étagée, condenseur)", Type = UnitType.BiomassBoiler, Capacity_kw = 20_000, MinLoad = 0.25, Efficiency = 0.95, FuelLhv_kwh_per_t = 2200, VariableCost_eur_per_mwh = 28, Investment_eur = 30_000_000, Months = [1, 2, 3, 4, 5, 6, 9, 10, 11, 12] },
                new ProductionUnit { Id = "gaz-1", Name = "Chaudière gaz 1", Type = UnitType.GasBoiler, Capacity_kw = 25_000, Efficiency = 0.93, VariableCost_eur_per_mwh = 90 },
                new ProductionUnit { Id = "gaz-2", Name = "Chaudière gaz 2", Type = UnitType.GasBoiler, Capacity_kw = 25_000, Efficiency = 0.93, VariableCost_eur_per_mwh = 90 },
                new ProductionUnit { Id = "gaz-3", Name = "Chaudière gaz 3 (secours)", Type = UnitType.GasBoiler, Capacity_kw = 25_000, Efficiency = 0.93, VariableCost_eur_per_mwh = 90 },
            ],
            Economics = new Economics { NetworkInvestment_eur = 20_000_000, Subsidies_eur = 12_000_000, FixedCost_eur_per_year = 2_500_000, GasPrice_eur_per_mwh = 95 },
            Regulation = new RegulatoryInputs { PriorityZone = Square(-4500, -5000, 4500, 5000) },
            Carbon = new CarbonSettings { IndividualGasBoilerEfficiency = 0.75 },
            Published = new PublishedFigures { WoodTonnes = 57_000, BiomassShare = 0.65, DwellingEquivalents = 17_000, Length_km = 45, Co2Avoided_t = 27_000, Source = Brief + " : 57 000 t de bois/an, mixité biomasse 65 %, 17 000 équivalents-logements, 45 km, 27 000 t CO2 évitées/an" },
            Assumptions =
            [
                "Tracé schématique de 45 km (SchematicNetwork) ; 130 résidences (13 550 logements) et 30 bâtiments publics ou tertiaires, soit environ 17 000 équivalents-logements à 9,7 MWh (26,3 TWh / 2,7 millions d'équivalents-logements, enquête Fedene citée par la plaquette).",
                "Biomasse singulière humide (écorces, environ 50 % d'humidité) : 2,2 MWh/t ; rendement 95 % sur PCI grâce au condenseur ; arrêt en juillet-août (maintenance).",
                "Une chaudière biomasse de 20 MW et 75 MW de gaz (puissances non publiées).",
                "Référence CO2 : chaudières gaz collectives existantes non condensation (75 %, FCU), facteur gaz 0,227 kg/kWh (DPE 2021) ; le bois est compté en cycle de vie (0,024 kg/kWh), d'où un évitement un peu inférieur à celui publié.",
            ],
        };
    }

    public static Scenario LeHavre()
    {
        var (nodes, pipes, subs) = Layout(
        [
            new("logements", "Le Havre Sud, résidence", SubscriberType.Housing, 200, 940, 230, 650, 125, 0, 0, 3200),
            new("equipements", "Équipement public", SubscriberType.Public, 20, 1600, 60, 1100, 0, -500, 500, 2500),
            new("tertiaire", "Bâtiment tertiaire", SubscriberType.Tertiary, 10, 1600, 60, 1100, 0, 1200, -800, 1200),
        ], trench_m: 42_000, loops: 8, dt: 30, seed: 76600);
        return new Scenario
        {
            Id = "le-havre-sud",
            Name = "Le Havre Sud — réseau de chaleur basse température",
            Description = "Réseau de la Communauté urbaine Le Havre Seine Métropole passé en basse température (ECBT), alimenté par la chaleur fatale de la centrale biomasse BioSynErgy et de la plateforme TotalEnergies (80 GWh), avec stockage thermique ; 280 GWh livrés, 80 % d'EnR&R, 25 000 logements.",
            Year = 2025,
            Climate = new ClimateRef { Source = "rouen" },
            Temperatures = new OperatingTemperatures { SupplyDesign_c = 80, SupplyMild_c = 68, Return_c = 45, Ground_c = 11 },
            Network = new NetworkLayout { Nodes = nodes, Pipes = pipes, PlantNode = "chaufferie", PlantPressure_bar = 10 },
            Substations = subs,
            Production =
            [
                new ProductionUnit { Id = "chaleur-fatale", Name = "Chaleur fatale BioSynErgy et TotalEnergies", Type = UnitType.WasteHeat, Origin = WasteHeatOrigin.Industry, Capacity_kw = 10_000, VariableCost_eur_per_mwh = 15, Months = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12] },
                new ProductionUnit { Id = "biomasse", Name = "Chaufferie biomasse", Type = UnitType.BiomassBoiler, Capacity_kw = 34_000, MinLoad = 0.25, Efficiency = 0.88, VariableCost_eur_per_mwh = 30, Months = [1, 2, 3, 4, 5, 10, 11, 12] },
                new ProductionUnit { Id = "gaz-1", Name = "Chaudière gaz 1", Type = UnitType.GasBoiler, Capacity_kw = 30_000, Efficiency = 0.93, VariableCost_eur_per_mwh = 90 },
                new ProductionUnit { Id = "gaz-2", Name = "Chaudière gaz 2", Type = UnitType.GasBoiler, Capacity_kw = 30_000, Efficiency = 0.93, VariableCost_eur_per_mwh = 90 },
                new ProductionUnit { Id = "gaz-3", Name = "Chaudière gaz 3 (secours)", Type = UnitType.GasBoiler, Capacity_kw = 30_000, Efficiency = 0.93, VariableCost_eur_per_mwh = 90 },
            ],
            Storage = [new StorageUnit { Id = "stockage", Name = "Stockage thermique 2 000 m³", Type = StorageType.HotWater, Capacity_kwh = 80_000, Power_kw = 12_000, LossPercentPerDay = 1 }],
            Economics = new Economics { FixedCost_eur_per_year = 3_000_000, GasPrice_eur_per_mwh = 95 },
            Regulation = new RegulatoryInputs { PriorityZone = Square(-4000, -4000, 4000, 4000) },
            Published = new PublishedFigures { Delivered_mwh = 280_000, EnrrRate = 0.80, RecoveredHeat_mwh = 80_000, Dwellings = 25_000, Co2Avoided_t = 31_000, Source = Brief + " : 280 GWh livrés, 80 % d'EnR&R, 80 GWh de chaleur fatale, stockage, 25 000 logements, 31 000 t CO2 évitées/an" },
            Assumptions =
            [
                "Tracé schématique de 42 km (longueur non publiée) ; 200 résidences de 125 logements (25 000 logements) et 30 bâtiments publics ou tertiaires.",
                "Chaleur fatale : 10 MW disponibles hors août (arrêt technique), soit environ 80 GWh utilisés ; chaufferie biomasse de 34 MW d'octobre à mai pour atteindre 80 % d'EnR&R (non détaillée par la plaquette) ; stockage de 2 000 m³ (80 MWh).",
                "Basse température (ECBT) : départ 80 °C par grand froid, 68 °C en mi-saison, retour 45 °C.",
                "Le CO2 évité simulé est calculé contre des chaudières gaz individuelles à condensation (82 %, FCU) : il dépasse nettement les 31 000 t publiées, qui se rapportent vraisemblablement à l'ancien réseau alimenté au gaz plutôt qu'à des chaudières individuelles.",
            ],
        };
    }

    public static Scenario PartDieu()
    {
        var (nodes, pipes, subs) = Layout(
        [
            new("immeuble", "Immeuble tertiaire", SubscriberType.Tertiary, 70, 0, 0, 750, 0, 0, 0, 700, Cooling_mwh: 450),
        ], trench_m: 4_500, loops: 4, dt: 7, seed: 69003);
        return new Scenario
        {
            Id = "lyon-part-dieu-froid",
            Name = "Lyon Part-Dieu — réseau de froid avec stockage de glace",
            Description = "Réseau de froid de la Métropole de Lyon (exemple de la plaquette) : 70 bâtiments, 350 000 m², centrale enterrée, 4,5 km de réseau, glace fabriquée en heures creuses la nuit pour les pointes, eaux d'infiltration du parking de la gare pour refroidir les groupes.",
            Kind = NetworkKind.Cooling,
            Year = 2025,
            Climate = new ClimateRef { Source = "lyon" },
            Temperatures = new OperatingTemperatures { SupplyDesign_c = 5, SupplyMild_c = 6, DesignOutdoor_c = 34, MildOutdoor_c = 20, Return_c = 12, Ground_c = 14 },
            Network = new NetworkLayout { Nodes = nodes, Pipes = pipes, PlantNode = "chaufferie", PlantPressure_bar = 6 },
            Substations = subs,
            Production =
            [
                new ProductionUnit { Id = "groupe-1", Name = "Groupe froid 1 (condenseurs sur eaux d'infiltration)", Type = UnitType.Chiller, Capacity_kw = 11_000, Eer = 5.5, Source = HeatPumpSource.Water, SourceTemperature_c = 15 },
                new ProductionUnit { Id = "groupe-2", Name = "Groupe froid 2", Type = UnitType.Chiller, Capacity_kw = 11_000, Eer = 5.5, Source = HeatPumpSource.Water, SourceTemperature_c = 15 },
                new ProductionUnit { Id = "groupe-3", Name = "Groupe froid 3", Type = UnitType.Chiller, Capacity_kw = 11_000, Eer = 5.5, Source = HeatPumpSource.Water, SourceTemperature_c = 15 },
                new ProductionUnit { Id = "groupe-4", Name = "Groupe froid 4 (secours)", Type = UnitType.Chiller, Capacity_kw = 11_000, Eer = 5.5, Source = HeatPumpSource.Water, SourceTemperature_c = 15 },
            ],
            Storage = [new StorageUnit { Id = "glace", Name = "Stockage de glace", Type = StorageType.Ice, Capacity_kwh = 60_000, Power_kw = 12_000, ChargeFromHour = 22, ChargeToHour = 6, IceEerFactor = 0.7, LossPercentPerDay = 2 }],
            Economics = new Economics { FixedCost_eur_per_year = 600_000, ElectricityPrice_eur_per_mwh = 150 },
            Published = new PublishedFigures { Length_km = 4.5, Source = "Plaquette (témoignage Métropole de Lyon) : 70 bâtiments, 350 000 m², 4,5 km, glace en heures creuses, eaux d'infiltration" },
            Assumptions =
            [
                "Besoin de froid supposé : 90 kWh/m² par an, soit 450 MWh par bâtiment de 5 000 m² (31,5 GWh) ; tracé schématique de 4,5 km.",
                "Quatre groupes de 11 MW à condenseurs refroidis par les eaux d'infiltration (15 °C, EER 5,5) ; glace : 60 MWh, 12 MW, chargée de 22 h à 6 h à 70 % de l'EER.",
                "Réseau de froid : départ 5 à 6 °C, retour 12 °C ; les gains du sol (14 °C) sont comptés comme pertes.",
            ],
        };
    }
}
