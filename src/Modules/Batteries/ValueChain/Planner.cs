using System.Text.Json;
using Socle.Modules.Batteries.Circularity;
using Socle.Platform;

namespace Socle.Modules.Batteries.ValueChain;

/// <summary>A value given at some years; in between it is interpolated linearly, before the first and after the last it holds.</summary>
public sealed record Anchor(int Year, double Value);

/// <summary>Material content of one chemistry, kg per kWh of cell capacity.</summary>
public sealed record ChemistryIntensity(string Chemistry, double Lithium, double Nickel, double Cobalt, double Manganese, double Graphite);

/// <summary>
/// A value-chain scenario for the EU: electric-vehicle sales and pack sizes, other battery demand, announced gigafactory
/// capacity and how much of it is realised, the chemistry mix and each chemistry's material content, the batteries' first
/// life and second life, collection and recovery. Every input carries its source or is marked as an assumption in the
/// scenario file (<c>notes</c>).
/// </summary>
public sealed record Scenario
{
    public string Name { get; init; } = "";

    public string? Description { get; init; }

    public int StartYear { get; init; } = 2025;

    public int EndYear { get; init; } = 2050;

    /// <summary>Electric cars and vans sold per year, millions.</summary>
    public IReadOnlyList<Anchor> EvSales_millions { get; init; } = [];

    /// <summary>Average EV pack, kWh.</summary>
    public IReadOnlyList<Anchor> PackSize_kwh { get; init; } = [];

    /// <summary>Other battery demand (trucks, buses, stationary storage, LMT), GWh per year.</summary>
    public IReadOnlyList<Anchor> OtherDemand_gwh { get; init; } = [];

    /// <summary>EV battery capacity sold before the start year, GWh per year (for retirements in the first years).</summary>
    public IReadOnlyList<Anchor> HistoricalEvBattery_gwh { get; init; } = [];

    public int HistoryFromYear { get; init; } = 2015;

    /// <summary>Gigafactory capacity announced for the EU, GWh per year.</summary>
    public IReadOnlyList<Anchor> AnnouncedCapacity_gwh { get; init; } = [];

    /// <summary>Share of the announced capacity actually producing (the brief: possibly halved).</summary>
    public IReadOnlyList<Anchor> Realisation { get; init; } = [new(2025, 1)];

    /// <summary>Chemistry shares per year (each anchor list gives one chemistry's share; they are normalised to 1).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Anchor>> ChemistryMix { get; init; } = new Dictionary<string, IReadOnlyList<Anchor>>();

    public IReadOnlyList<ChemistryIntensity> Intensities { get; init; } = [];

    /// <summary>Copper per electric vehicle, kg (the brief: 50–60 kg for a standard EV, up to 100 kg for an electric SUV).</summary>
    public double CopperPerEv_kg { get; init; } = 55;

    /// <summary>Copper per combustion car, kg (the brief: about 20 kg).</summary>
    public double CopperPerIceCar_kg { get; init; } = 20;

    /// <summary>Years of first life in the vehicle (the brief: about ten years, 1,000–1,500 cycles).</summary>
    public int FirstLife_years { get; init; } = 10;

    /// <summary>Share of batteries leaving a vehicle that get a stationary second life.</summary>
    public IReadOnlyList<Anchor> SecondLifeShare { get; init; } = [new(2025, 0.5)];

    /// <summary>Years of second life (the brief: about twenty years in all).</summary>
    public int SecondLife_years { get; init; } = 10;

    /// <summary>Share of end-of-life batteries collected and recycled in the EU (the rest is exported or lost).</summary>
    public IReadOnlyList<Anchor> CollectionRate { get; init; } = [new(2025, 0.9)];

    /// <summary>Share of cell production scrapped and recycled in the plant (the brief: up to 10 % of the material flow).</summary>
    public double ManufacturingScrap { get; init; } = 0.05;

    /// <summary>Material recovery when recycling, by metal; the Annex XII Part C targets in force when not given.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Anchor>> Recovery { get; init; } = new Dictionary<string, IReadOnlyList<Anchor>>();

    /// <summary>Primary supply mined or refined in the EU, tonnes per year, by material (lithium from Alsace brines…).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Anchor>> DomesticPrimary_t { get; init; } = new Dictionary<string, IReadOnlyList<Anchor>>();

    /// <summary>Where each figure comes from.</summary>
    public IReadOnlyDictionary<string, string> Notes { get; init; } = new Dictionary<string, string>();
}

public sealed record MaterialYear(string Material, double Demand_t, double RecycledSupply_t, double DomesticPrimary_t, double Imports_t, double ImportDependency_pct, double RecoveryRate_pct);

public sealed record PlanYear(
    int Year,
    double EvSales_millions,
    double PackSize_kwh,
    double EvDemand_gwh,
    double Demand_gwh,
    double Capacity_gwh,
    double Production_gwh,
    double BatteryImports_gwh,
    double SpareCapacity_gwh,
    double EndOfFirstLife_gwh,
    double IntoSecondLife_gwh,
    double Recycled_gwh,
    double InSecondLife_gwh,
    double AdditionalCopperVsIce_t,
    IReadOnlyList<MaterialYear> Materials);

public sealed record Plan(string Scenario, IReadOnlyList<PlanYear> Years, IReadOnlyDictionary<string, string> Notes);

/// <summary>
/// The value-chain planner: year by year, battery demand against production capacity, the materials it takes, the batteries
/// that come back (after a first life in vehicles and, for a share, a stationary second life), what recycling recovers from
/// them and from production scrap, and what is left to import.
/// <code>
/// demand(y)        = EV sales × pack size + other demand                     [GWh]
/// capacity(y)      = announced × realisation;  imports = max(0, demand − capacity)
/// material(y, m)   = demand × (1 + scrap) × Σ_chem share(chem, y) × intensity(chem, m)
/// returned(y)      = EV(y − first) × (1 − 2nd share) + EV(y − first − second) × 2nd share
/// recycled(y, m)   = [returned(y) (material of its production year) × collection + scrap × demand] × recovery(y, m)
/// copper(y)        = EV sales × copper per EV; it comes back with the vehicles sold first-life years earlier
/// dependency(y, m) = max(0, material − recycled − domestic) / material
/// </code>
/// </summary>
public static class Planner
{
    public static readonly IReadOnlyList<string> Materials = ["lithium", "nickel", "cobalt", "manganese", "graphite", "copper"];

    public static double Interpolate(IReadOnlyList<Anchor> anchors, int year)
    {
        if (anchors.Count == 0)
        {
            return 0;
        }
        var sorted = anchors.OrderBy(a => a.Year).ToList();
        if (year <= sorted[0].Year)
        {
            return sorted[0].Value;
        }
        if (year >= sorted[^1].Year)
        {
            return sorted[^1].Value;
        }
        for (var i = 1; i < sorted.Count; i++)
        {
            if (year <= sorted[i].Year)
            {
                var (a, b) = (sorted[i - 1], sorted[i]);
                return a.Value + ((b.Value - a.Value) * (year - a.Year) / (b.Year - a.Year));
            }
        }
        return sorted[^1].Value;
    }

    public static Error? Check(Scenario s)
    {
        var checks = new Checks();
        checks.Require(s.Name, "name", 200);
        checks.That(s.StartYear is >= 2000 and <= 2100, "startYear", "must be between 2000 and 2100");
        checks.That(s.EndYear >= s.StartYear && s.EndYear - s.StartYear <= 100, "endYear", "must be after startYear, at most 100 years later");
        checks.That(s.EvSales_millions.Count > 0, "evSales_millions", "give at least one year");
        checks.That(s.PackSize_kwh.Count > 0, "packSize_kwh", "give at least one year");
        checks.That(s.AnnouncedCapacity_gwh.Count > 0, "announcedCapacity_gwh", "give at least one year");
        void Anchors(IReadOnlyList<Anchor> list, string field, double min, double max)
        {
            for (var i = 0; i < list.Count; i++)
            {
                checks.Range(list[i].Value, $"{field}[{i}].value", min, max);
                checks.That(list[i].Year is >= 1990 and <= 2150, $"{field}[{i}].year", "must be between 1990 and 2150");
            }
            checks.That(list.Select(a => a.Year).Distinct().Count() == list.Count, field, "gives a year twice");
        }
        Anchors(s.EvSales_millions, "evSales_millions", 0, 1000);
        Anchors(s.PackSize_kwh, "packSize_kwh", 1, 1000);
        Anchors(s.OtherDemand_gwh, "otherDemand_gwh", 0, 1e6);
        Anchors(s.HistoricalEvBattery_gwh, "historicalEvBattery_gwh", 0, 1e6);
        Anchors(s.AnnouncedCapacity_gwh, "announcedCapacity_gwh", 0, 1e6);
        Anchors(s.Realisation, "realisation", 0, 1);
        Anchors(s.SecondLifeShare, "secondLifeShare", 0, 1);
        Anchors(s.CollectionRate, "collectionRate", 0, 1);
        checks.That(s.FirstLife_years is >= 1 and <= 50, "firstLife_years", "must be between 1 and 50");
        checks.That(s.SecondLife_years is >= 0 and <= 50, "secondLife_years", "must be between 0 and 50");
        checks.Range(s.ManufacturingScrap, "manufacturingScrap", 0, 0.5);
        checks.NonNegative(s.CopperPerEv_kg, "copperPerEv_kg");
        checks.NonNegative(s.CopperPerIceCar_kg, "copperPerIceCar_kg");
        checks.That(s.ChemistryMix.Count > 0, "chemistryMix", "give at least one chemistry");
        foreach (var (chemistry, anchors) in s.ChemistryMix)
        {
            checks.That(s.Intensities.Any(i => i.Chemistry == chemistry), $"chemistryMix.{chemistry}", "has no material intensity in intensities");
            Anchors(anchors, $"chemistryMix.{chemistry}", 0, 1);
        }
        for (var i = 0; i < s.Intensities.Count; i++)
        {
            var x = s.Intensities[i];
            foreach (var (name, value) in new[] { ("lithium", x.Lithium), ("nickel", x.Nickel), ("cobalt", x.Cobalt), ("manganese", x.Manganese), ("graphite", x.Graphite) })
            {
                checks.Range(value, $"intensities[{i}].{name}", 0, 10);
            }
        }
        foreach (var (metal, anchors) in s.Recovery)
        {
            checks.That(Materials.Contains(metal), $"recovery.{metal}", $"must be one of {string.Join(", ", Materials)}");
            Anchors(anchors, $"recovery.{metal}", 0, 1);
        }
        foreach (var (material, anchors) in s.DomesticPrimary_t)
        {
            checks.That(Materials.Contains(material), $"domesticPrimary_t.{material}", $"must be one of {string.Join(", ", Materials)}");
            Anchors(anchors, $"domesticPrimary_t.{material}", 0, 1e9);
        }
        if (!checks.Failed)
        {
            for (var year = s.StartYear; year <= s.EndYear; year++)
            {
                if (s.ChemistryMix.Values.Sum(a => Interpolate(a, year)) <= 0)
                {
                    checks.Add("chemistryMix", $"the shares add up to zero in {year}");
                    break;
                }
            }
        }
        return checks.Failed ? checks.ToError() : null;
    }

    /// <summary>The recovery rate for a metal in a year: the scenario's, or the Annex XII Part C target in force at the end of
    /// that year (graphite and manganese have none: 0 unless the scenario says otherwise; before the first target, the first).</summary>
    public static double RecoveryRate(Scenario s, string material, int year)
    {
        if (s.Recovery.TryGetValue(material, out var anchors) && anchors.Count > 0)
        {
            return Interpolate(anchors, year);
        }
        var metal = char.ToUpperInvariant(material[0]) + material[1..];
        if (!Targets.RecoveredMetals.Contains(metal))
        {
            return 0;
        }
        var target = Targets.InForce(Targets.MaterialRecovery, metal, new DateOnly(year, 12, 31))
            ?? Targets.MaterialRecovery.Where(t => t.Subject == metal).MinBy(t => t.From)!;
        return target.Minimum_pct / 100;
    }

    public static Result<Plan> Run(Scenario s)
    {
        if (Check(s) is { } error)
        {
            return error;
        }
        // kg per kWh of each material for the mix of a production year
        double Intensity(int year, string material)
        {
            var shares = s.ChemistryMix.ToDictionary(c => c.Key, c => Math.Max(0, Interpolate(c.Value, year)));
            var total = shares.Values.Sum();
            return shares.Sum(c =>
            {
                var i = s.Intensities.First(x => x.Chemistry == c.Key);
                var kg = material switch
                {
                    "lithium" => i.Lithium,
                    "nickel" => i.Nickel,
                    "cobalt" => i.Cobalt,
                    "manganese" => i.Manganese,
                    "graphite" => i.Graphite,
                    _ => 0,
                };
                return c.Value / total * kg;
            });
        }
        double EvGwh(int year) => year < s.StartYear
            ? (year >= s.HistoryFromYear ? Interpolate(s.HistoricalEvBattery_gwh, year) : 0)
            : Interpolate(s.EvSales_millions, year) * Interpolate(s.PackSize_kwh, year); // million × kWh = GWh

        var years = new List<PlanYear>();
        for (var year = s.StartYear; year <= s.EndYear; year++)
        {
            var sales = Interpolate(s.EvSales_millions, year);
            var pack = Interpolate(s.PackSize_kwh, year);
            var ev = sales * pack;
            var demand = ev + Interpolate(s.OtherDemand_gwh, year);
            var capacity = Interpolate(s.AnnouncedCapacity_gwh, year) * Interpolate(s.Realisation, year);
            var production = Math.Min(demand, capacity);

            var firstYear = year - s.FirstLife_years;
            var endOfFirst = EvGwh(firstYear);
            var share = Interpolate(s.SecondLifeShare, firstYear);
            var intoSecond = endOfFirst * share;
            var secondYear = year - s.FirstLife_years - s.SecondLife_years;
            var endOfSecond = s.SecondLife_years == 0 ? 0 : EvGwh(secondYear) * Interpolate(s.SecondLifeShare, secondYear);
            var directToRecycling = s.SecondLife_years == 0 ? endOfFirst : endOfFirst - intoSecond;
            var collection = Interpolate(s.CollectionRate, year);
            var recycledGwh = (directToRecycling + endOfSecond) * collection;
            var inSecondLife = 0.0;
            for (var y = year - s.SecondLife_years + 1; y <= year && s.SecondLife_years > 0; y++)
            {
                var cohort = y - s.FirstLife_years;
                inSecondLife += EvGwh(cohort) * Interpolate(s.SecondLifeShare, cohort);
            }

            var materials = new List<MaterialYear>();
            foreach (var material in Materials)
            {
                double demandT, recycledT;
                var recovery = RecoveryRate(s, material, year);
                if (material == "copper")
                {
                    // per vehicle (battery, motor, wiring): kg × millions of vehicles = kt → t; the copper comes back with
                    // the vehicle at the end of its first life (vehicles sold before the start year are not counted)
                    demandT = sales * s.CopperPerEv_kg * 1000;
                    var vehiclesBack = firstYear >= s.StartYear ? Interpolate(s.EvSales_millions, firstYear) : 0;
                    recycledT = vehiclesBack * s.CopperPerEv_kg * 1000 * collection * recovery;
                }
                else
                {
                    // GWh × kg/kWh = kt → × 1000 t
                    demandT = demand * (1 + s.ManufacturingScrap) * Intensity(year, material) * 1000;
                    var scrap = demand * s.ManufacturingScrap * Intensity(year, material) * 1000;
                    var returned = ((directToRecycling * Intensity(firstYear, material)) + (endOfSecond * Intensity(secondYear, material))) * 1000 * collection;
                    recycledT = (returned + scrap) * recovery;
                }
                var domestic = s.DomesticPrimary_t.TryGetValue(material, out var d) ? Interpolate(d, year) : 0;
                var imports = Math.Max(0, demandT - recycledT - domestic);
                materials.Add(new MaterialYear(material, demandT, recycledT, Math.Min(domestic, Math.Max(0, demandT - recycledT)), imports,
                    demandT > 0 ? imports / demandT * 100 : 0, recovery * 100));
            }
            years.Add(new PlanYear(year, sales, pack, ev, demand, capacity, production, Math.Max(0, demand - capacity), Math.Max(0, capacity - demand),
                endOfFirst, intoSecond, recycledGwh, inSecondLife, sales * (s.CopperPerEv_kg - s.CopperPerIceCar_kg) * 1000, materials));
        }
        return new Plan(s.Name, years, s.Notes);
    }

    public static Scenario Parse(string json) =>
        JsonSerializer.Deserialize<Scenario>(json, JsonText.Options) ?? throw new JsonException("empty scenario");
}
