using System.Text.Json;
using System.Text.Json.Serialization;

namespace Socle.Modules.Heat.Scenarios;

/// <summary>
/// A heating or cooling network and its year, as one JSON document (format <c>socle-heat-scenario/1</c>, described in
/// docs/heat/scenario-format.md). Field names carry their units: <c>capacity_kw</c>, <c>length_m</c>, <c>supply_c</c>.
/// The document is what users edit, store, export and compare; the simulation reads it and nothing else.
/// </summary>
public sealed record Scenario
{
    public const string CurrentFormat = "socle-heat-scenario/1";

    public string Format { get; init; } = CurrentFormat;

    /// <summary>Short identifier (lowercase letters, digits, dashes), unique among stored scenarios.</summary>
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    public NetworkKind Kind { get; init; } = NetworkKind.Heating;

    /// <summary>The calendar year simulated (weekdays and holidays follow it).</summary>
    public int Year { get; init; } = 2025;

    public ClimateRef Climate { get; init; } = new();

    public OperatingTemperatures Temperatures { get; init; } = new();

    public NetworkLayout Network { get; init; } = new();

    public IReadOnlyList<ProductionUnit> Production { get; init; } = [];

    public IReadOnlyList<StorageUnit> Storage { get; init; } = [];

    public IReadOnlyList<Substation> Substations { get; init; } = [];

    public Economics Economics { get; init; } = new();

    public RegulatoryInputs Regulation { get; init; } = new();

    public CarbonSettings Carbon { get; init; } = new();

    /// <summary>Figures published for the real network (the brief's), for comparison with the simulation.</summary>
    public PublishedFigures? Published { get; init; }

    /// <summary>What the scenario assumes where data is missing, in plain words, and why.</summary>
    public IReadOnlyList<string> Assumptions { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

public enum NetworkKind
{
    Heating,
    Cooling,
}

/// <summary>Where the hourly outdoor temperature comes from.</summary>
public sealed record ClimateRef
{
    /// <summary>A shipped typical year (<c>rouen</c>, <c>paris</c>, <c>lyon</c>, <c>strasbourg</c>, <c>marseille</c>) or an uploaded weather set (<c>upload:&lt;id&gt;</c>).</summary>
    public string Source { get; init; } = "rouen";

    /// <summary>Latitude for solar geometry (degrees north); the climate's own when absent.</summary>
    public double? Latitude_deg { get; init; }
}

/// <summary>Network temperatures: supply follows the outdoor temperature (a heating curve), return is set by substations.</summary>
public sealed record OperatingTemperatures
{
    /// <summary>Supply temperature leaving the plant at the design (coldest) outdoor temperature.</summary>
    public double SupplyDesign_c { get; init; } = 90;

    /// <summary>Supply temperature in mild weather (at <see cref="MildOutdoor_c"/> and above): hot water still needs it.</summary>
    public double SupplyMild_c { get; init; } = 70;

    /// <summary>The design outdoor temperature (the climate's base temperature when absent).</summary>
    public double? DesignOutdoor_c { get; init; }

    public double MildOutdoor_c { get; init; } = 15;

    /// <summary>Return temperature of substations that do not set their own.</summary>
    public double Return_c { get; init; } = 55;

    /// <summary>Undisturbed soil temperature around buried pipes.</summary>
    public double Ground_c { get; init; } = 10;
}

public sealed record NetworkLayout
{
    public IReadOnlyList<NetworkNode> Nodes { get; init; } = [];

    public IReadOnlyList<NetworkPipe> Pipes { get; init; } = [];

    /// <summary>The node where the plant feeds the network (its pressure is held there).</summary>
    public string PlantNode { get; init; } = "";

    /// <summary>Plant pressure, the static pressure held at the plant node.</summary>
    public double PlantPressure_bar { get; init; } = 6;

    /// <summary>Differential pressure the most distant substation needs (control valve plus exchanger).</summary>
    public double SubstationDifferentialPressure_bar { get; init; } = 0.8;

    /// <summary>Pump efficiency (hydraulic × motor), for pump electricity.</summary>
    public double PumpEfficiency { get; init; } = 0.65;

    /// <summary>
    /// Share of each substation's design flow kept circulating by its bypass (or a three-way valve) when it draws less,
    /// so that supply stays hot at the ends of the network in summer; the bypassed water returns unused.
    /// </summary>
    public double BypassShare { get; init; } = 0.05;

    /// <summary>Pipes' equivalent roughness where a pipe does not give its own.</summary>
    public double Roughness_mm { get; init; } = 0.05;

    /// <summary>Soil thermal conductivity.</summary>
    public double SoilConductivity_w_per_m_k { get; init; } = 1.5;
}

/// <summary>A junction, the plant or a substation's connection point. Coordinates in metres (Lambert-93 or any local metric frame).</summary>
public sealed record NetworkNode
{
    public string Id { get; init; } = "";

    public double X_m { get; init; }

    public double Y_m { get; init; }

    public double Height_m { get; init; }
}

/// <summary>
/// A supply pipe (the return pipe is its twin, laid in the same trench). Give either a catalogue size (<c>dn</c> with its
/// EN 253 insulation <c>series</c>) or the inner diameter and a heat-loss coefficient.
/// </summary>
public sealed record NetworkPipe
{
    public string Id { get; init; } = "";

    public string From { get; init; } = "";

    public string To { get; init; } = "";

    /// <summary>Trench length; the distance between the two nodes' coordinates when absent.</summary>
    public double? Length_m { get; init; }

    /// <summary>Nominal diameter from the pre-insulated pipe catalogue (DN20 … DN600).</summary>
    public int? Dn { get; init; }

    /// <summary>EN 253 insulation series 1, 2 or 3 (thicker is better insulated).</summary>
    public int Series { get; init; } = 2;

    /// <summary>Inner diameter, when the pipe is not from the catalogue.</summary>
    public double? InnerDiameter_m { get; init; }

    /// <summary>Heat-loss coefficient per metre of one pipe, when not computed from the catalogue.</summary>
    public double? HeatLoss_w_per_m_k { get; init; }

    public double? Roughness_mm { get; init; }

    /// <summary>Depth of the pipes' axis below ground.</summary>
    public double Depth_m { get; init; } = 0.8;

    /// <summary>Built (existing) or planned: planned pipes count in the investment.</summary>
    public bool Existing { get; init; } = true;
}

public enum SubscriberType
{
    Housing,
    Tertiary,
    Public,
    Industry,
}

/// <summary>A delivery point: a building's substation.</summary>
public sealed record Substation
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>The network node it is connected to.</summary>
    public string Node { get; init; } = "";

    public SubscriberType Subscriber { get; init; } = SubscriberType.Housing;

    /// <summary>Contractual power (the R2 subscription).</summary>
    public double Subscribed_kw { get; init; }

    /// <summary>Space-heating heat delivered in a typical year.</summary>
    public double Heating_mwh { get; init; }

    /// <summary>Domestic hot water heat delivered in a year.</summary>
    public double HotWater_mwh { get; init; }

    /// <summary>Cooling delivered in a year (cooling networks).</summary>
    public double Cooling_mwh { get; init; }

    /// <summary>Return temperature of this substation; the network's when absent.</summary>
    public double? Return_c { get; init; }

    /// <summary>Dwellings (or dwelling equivalents) served, for the published "équivalents logements".</summary>
    public double Dwellings { get; init; }

    /// <summary>Connected after the base year (an extension or densification candidate): counts in the investment.</summary>
    public bool Planned { get; init; }
}

public enum UnitType
{
    BiomassBoiler,
    GasBoiler,
    FuelOilBoiler,
    GasChp,
    BiomassChp,
    HeatPump,
    Geothermal,
    WasteHeat,
    SolarThermal,
    ElectricBoiler,
    Chiller,
    FreeCooling,
    AbsorptionChiller,
}

public enum Fuel
{
    None,
    NaturalGas,
    WoodChips,
    WoodPellets,
    FuelOil,
    Biogas,
    Electricity,
    Waste,
}

/// <summary>How a unit's heat counts in the EnR&amp;R rate (Code de l'énergie, R712-1).</summary>
public enum EnrrClass
{
    Fossil,
    Renewable,
    Recovered,
    /// <summary>Household waste incineration: half renewable (biodegradable part), half recovered — 100 % EnR&amp;R.</summary>
    Incineration,
    /// <summary>Heat pumps: see <see cref="CarbonSettings.HeatPumpRule"/>.</summary>
    HeatPump,
}

public enum WasteHeatOrigin
{
    Industry,
    DataCentre,
    Incineration,
    Sewage,
}

public enum CopLaw
{
    /// <summary>A share η of the Carnot COP (η = 0.5 unless given): suits large district heating heat pumps and high lifts.</summary>
    Carnot,
    /// <summary>The when2heat regression for building heat pumps (Ruhnau et al. 2019), valid for lifts up to about 60 K.</summary>
    When2Heat,
}

public enum HeatPumpSource
{
    OutdoorAir,
    Ground,
    Water,
    WasteHeat,
}

public sealed record ProductionUnit
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public UnitType Type { get; init; }

    /// <summary>Heat (or cold) output at full load.</summary>
    public double Capacity_kw { get; init; }

    /// <summary>Minimum stable output as a share of capacity (0 to 1); below it the unit is off.</summary>
    public double MinLoad { get; init; }

    /// <summary>Heat out per fuel in (lower heating value). For CHP, the thermal efficiency.</summary>
    public double? Efficiency { get; init; }

    /// <summary>CHP: electricity out per fuel in.</summary>
    public double? ElectricEfficiency { get; init; }

    public Fuel? Fuel { get; init; }

    /// <summary>Overrides the EnR&amp;R class the type implies.</summary>
    public EnrrClass? Enrr { get; init; }

    /// <summary>Rank in the merit order (1 first); the type's usual rank when absent.</summary>
    public int? MeritOrder { get; init; }

    /// <summary>Months the unit runs (1–12); all year when empty.</summary>
    public IReadOnlyList<int> Months { get; init; } = [];

    public WasteHeatOrigin? Origin { get; init; }

    /// <summary>Heat pump: its heat source and the source temperature (outdoor air follows the weather).</summary>
    public HeatPumpSource? Source { get; init; }

    public double? SourceTemperature_c { get; init; }

    /// <summary>Heat pump: how its COP follows the temperatures (Carnot by default).</summary>
    public CopLaw CopLaw { get; init; } = CopLaw.Carnot;

    /// <summary>Heat pump / chiller: Carnot efficiency η, COP = η·T_sink/(T_sink − T_source); 0.5 for a heat pump when absent.</summary>
    public double? CarnotEfficiency { get; init; }

    /// <summary>Chiller: energy efficiency ratio (cold out per electricity in) at design conditions.</summary>
    public double? Eer { get; init; }

    /// <summary>Solar thermal: aperture area and collector coefficients (EN ISO 9806): η = η0 − a1·(Tm − Ta)/G.</summary>
    public double? Area_m2 { get; init; }

    public double Eta0 { get; init; } = 0.75;

    public double A1_w_per_m2_k { get; init; } = 3.5;

    /// <summary>Variable cost of heat from this unit (fuel / efficiency + maintenance).</summary>
    public double VariableCost_eur_per_mwh { get; init; }

    public double Investment_eur { get; init; }

    /// <summary>Lower heating value of the fuel per tonne, to report fuel use in tonnes (wood).</summary>
    public double? FuelLhv_kwh_per_t { get; init; }

    /// <summary>Overrides the fuel's emission factors (kg CO2 per kWh of fuel, lower heating value).</summary>
    public double? DirectCo2_kg_per_kwh { get; init; }

    public double? LifeCycleCo2_kg_per_kwh { get; init; }

    /// <summary>Part of the unit's heat that is not produced by the network operator (heat bought from a CHP outside the concession, recovered heat bought).</summary>
    public bool External { get; init; }
}

public enum StorageType
{
    HotWater,
    Ice,
}

public sealed record StorageUnit
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public StorageType Type { get; init; } = StorageType.HotWater;

    /// <summary>Usable energy content.</summary>
    public double Capacity_kwh { get; init; }

    /// <summary>Maximum charge and discharge power.</summary>
    public double Power_kw { get; init; }

    /// <summary>Standing loss, percent of content per day.</summary>
    public double LossPercentPerDay { get; init; } = 1;

    /// <summary>Ice storage: hours of the day when it may charge (off-peak), e.g. 22 to 6.</summary>
    public int ChargeFromHour { get; init; } = 22;

    public int ChargeToHour { get; init; } = 6;

    /// <summary>Ice storage: chillers make ice at this fraction of their EER (lower evaporating temperature).</summary>
    public double IceEerFactor { get; init; } = 0.7;

    public double Investment_eur { get; init; }
}

public sealed record Economics
{
    /// <summary>Investment not attached to a unit (network, substations, buildings, studies).</summary>
    public double NetworkInvestment_eur { get; init; }

    public double Subsidies_eur { get; init; }

    public double DiscountRate { get; init; } = 0.04;

    public int LifetimeYears { get; init; } = 30;

    /// <summary>Fixed operation and maintenance per year.</summary>
    public double FixedCost_eur_per_year { get; init; }

    /// <summary>Electricity price for pumps and heat pumps.</summary>
    public double ElectricityPrice_eur_per_mwh { get; init; } = 150;

    /// <summary>The reference for subscribers: gas bought for individual boilers.</summary>
    public double GasPrice_eur_per_mwh { get; init; } = 100;

    /// <summary>Cost per metre of new trench by DN when a pipe does not say (euros per metre ≈ a + b·DN).</summary>
    public double PipeCostBase_eur_per_m { get; init; } = 600;

    public double PipeCostPerDn_eur_per_m { get; init; } = 6;

    /// <summary>Cost of a new substation per kW subscribed (plus a fixed part).</summary>
    public double SubstationCost_eur_per_kw { get; init; } = 60;

    public double SubstationCostFixed_eur { get; init; } = 15000;
}

/// <summary>What French rules need beyond the simulation: classement conditions and the priority zone.</summary>
public sealed record RegulatoryInputs
{
    /// <summary>The network is a public service (DSP or régie) of a local authority.</summary>
    public bool PublicService { get; init; } = true;

    /// <summary>Each delivery point has a heat meter.</summary>
    public bool MeteredDeliveryPoints { get; init; } = true;

    /// <summary>The operator's accounts are balanced (équilibre financier de l'opération).</summary>
    public bool BalancedAccounts { get; init; } = true;

    /// <summary>The local authority deliberated to opt out of automatic classement.</summary>
    public bool OptedOut { get; init; }

    /// <summary>Périmètre de développement prioritaire: a polygon of points (x_m, y_m) in the nodes' frame.</summary>
    public IReadOnlyList<IReadOnlyList<double>> PriorityZone { get; init; } = [];

    /// <summary>Power above which connection is compulsory in the zone (R712-9: 30 kW, which the authority may raise).</summary>
    public double ConnectionThreshold_kw { get; init; } = 30;
}

public enum HeatPumpRule
{
    /// <summary>All heat-pump heat counts as EnR&amp;R (France Chaleur Urbaine's recomputation of SNCU data).</summary>
    FullOutput,
    /// <summary>Only heat taken from the source counts, output minus electricity (EU RED approach).</summary>
    AmbientShare,
}

/// <summary>Conventions for CO2 and EnR&amp;R that a study may need to change, with sourced defaults (docs/heat/indicators.md).</summary>
public sealed record CarbonSettings
{
    public HeatPumpRule HeatPumpRule { get; init; } = HeatPumpRule.FullOutput;

    /// <summary>Efficiency of the individual gas boilers subscribers would otherwise use (FCU: 82 % condensing, 75 % older).</summary>
    public double IndividualGasBoilerEfficiency { get; init; } = 0.82;

    /// <summary>Efficiency of a network substation (heat useful in the building per heat delivered; FCU: 86 %).</summary>
    public double SubstationEfficiency { get; init; } = 0.86;

    /// <summary>Life-cycle emission factor of gas for the individual reference (kg CO2 per kWh PCI; DPE 2021: 0.227).</summary>
    public double ReferenceGas_kg_per_kwh { get; init; } = 0.227;

    /// <summary>Life-cycle emission factor of grid electricity for heat pumps and pumps (DPE 2021, heating use: 0.079).</summary>
    public double Electricity_kg_per_kwh { get; init; } = 0.079;

    /// <summary>Split of a CHP's fuel emissions to heat: by the reference-efficiency method (EU 2015/2402) when true, else all to heat.</summary>
    public bool AllocateChpToElectricity { get; init; } = true;
}

public sealed record PublishedFigures
{
    public double? Delivered_mwh { get; init; }

    public double? EnrrRate { get; init; }

    public double? Co2Avoided_t { get; init; }

    public double? WoodTonnes { get; init; }

    public double? BiomassShare { get; init; }

    public double? Dwellings { get; init; }

    /// <summary>"Équivalents-logements": deliveries expressed in dwellings' consumption (see <see cref="Indicators.IndicatorSet.DwellingEquivalents"/>).</summary>
    public double? DwellingEquivalents { get; init; }

    public double? Length_km { get; init; }

    public double? RecoveredHeat_mwh { get; init; }

    public double? Investment_eur { get; init; }

    public string? Source { get; init; }
}
