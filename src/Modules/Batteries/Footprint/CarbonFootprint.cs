using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Socle.Platform;

namespace Socle.Modules.Batteries.Footprint;

/// <summary>A bill-of-materials line: a material or component, its mass, its emission factor from cradle to gate.</summary>
public sealed record MaterialLine(string Name, double Mass_kg, double Factor_kgco2e_per_kg, string? Source = null);

/// <summary>An energy or process line: a quantity and its factor (natural gas in kWh, a process emission in kg CO2e with factor 1…).</summary>
public sealed record EnergyLine(string Name, double Quantity, double Factor_kgco2e_per_unit, string Unit = "kWh", string? Source = null);

/// <summary>
/// A transport leg. Either a factor per tonne-kilometre, or a vehicle's emissions per kilometre shared by mass as the
/// Battery Pass carbon-footprint rules (2023) do: the cargo carries <c>cargo / (payload × utilisation)</c> of the vehicle's
/// emissions; utilisation is (outbound + return load) / (2 × payload), 64 % by default for mass-limited freight.
/// </summary>
public sealed record TransportLeg(string Name, double Distance_km, double? Cargo_t = null, double? Factor_kgco2e_per_tkm = null,
    double? Vehicle_kgco2e_per_km = null, double? Payload_t = null, double? Utilisation = null);

/// <summary>What to compute. Units are in the names.</summary>
public sealed record FootprintRequest
{
    public string? Name { get; init; }

    /// <summary>ev, lmt, industrial or stationary.</summary>
    public string Category { get; init; } = "ev";

    /// <summary>For electric vehicles: M1, N1 (60 full cycles a year in the draft act), L (20), M2, M3, N2, N3 (250).</summary>
    public string? VehicleClass { get; init; }

    /// <summary>Rated energy (capacity) of the battery.</summary>
    public double RatedEnergy_kwh { get; init; }

    /// <summary>Usable energy at beginning of life; the rated energy when not given.</summary>
    public double? UsableEnergy_kwh { get; init; }

    /// <summary>Full cycles a year; the draft act's value for the vehicle class when not given.</summary>
    public double? CyclesPerYear { get; init; }

    /// <summary>Service life in years for the functional unit: the commercial warranty in the draft act.</summary>
    public double? ServiceYears { get; init; }

    /// <summary>Battery mass, for transport and recycling lines that scale with it; from the energy density when not given.</summary>
    public double? BatteryMass_kg { get; init; }

    /// <summary>Pack energy density, used for the mass when <see cref="BatteryMass_kg"/> is not given.</summary>
    public double? EnergyDensity_wh_per_kg { get; init; }

    public IReadOnlyList<MaterialLine> Materials { get; init; } = [];

    /// <summary>Production electricity, total; or per kWh of capacity with <see cref="ProductionElectricity_kwh_per_kwh"/>.</summary>
    public double? ProductionElectricity_kwh { get; init; }

    public double? ProductionElectricity_kwh_per_kwh { get; init; }

    /// <summary>Country of the production electricity (see <see cref="ElectricityMixes"/>), or <see cref="ElectricityFactor_gco2e_per_kwh"/>.</summary>
    public string? ElectricityCountry { get; init; }

    public double? ElectricityFactor_gco2e_per_kwh { get; init; }

    public IReadOnlyList<EnergyLine> ProductionEnergy { get; init; } = [];

    public IReadOnlyList<TransportLeg> Distribution { get; init; } = [];

    /// <summary>End of life and recycling: processing burdens (positive) and credits (negative factors), by mass.</summary>
    public IReadOnlyList<MaterialLine> EndOfLife { get; init; } = [];

    /// <summary>Performance class boundaries ("A:0.075,B:0.11,…" in kg CO2e per kWh delivered); the configured ones when not given.</summary>
    public string? ClassBoundaries { get; init; }

    /// <summary>Maximum carbon footprint threshold, kg CO2e per kWh delivered; the configured one when not given.</summary>
    public double? MaximumThreshold_kgco2e_per_kwh { get; init; }
}

public sealed record LineResult(string Stage, string Name, double Emissions_kgco2e, string Detail);

public sealed record StageResult(string Stage, string LifecycleStage, double Emissions_kgco2e, double PerKwhDelivered_kgco2e, double Share_pct);

/// <summary>The footprint: absolute, per kWh of capacity, per kWh delivered over the service life, class and threshold.</summary>
public sealed record FootprintResult(
    string? Name,
    double RatedEnergy_kwh,
    double Total_kgco2e,
    double PerKwhCapacity_kgco2e,
    double FunctionalUnit_kwh,
    double PerKwhDelivered_kgco2e,
    string PerformanceClass,
    double MaximumThreshold_kgco2e_per_kwh,
    bool BelowThreshold,
    double BatteryMass_kg,
    double UsableEnergy_kwh,
    double CyclesPerYear,
    double ServiceYears,
    double ElectricityFactor_gco2e_per_kwh,
    string ElectricitySource,
    IReadOnlyList<StageResult> Stages,
    IReadOnlyList<LineResult> Lines,
    IReadOnlyList<string> Notes);

/// <summary>Section <c>Socle:Batteries:Footprint</c>: the class boundaries and threshold the delegated acts will set.</summary>
public sealed class FootprintOptions : IValidatableObject
{
    public const string Section = "Socle:Batteries:Footprint";

    /// <summary>Illustrative until the delegated act fixes them: A best, each class up to its bound (kg CO2e per kWh delivered).</summary>
    [Required]
    public string ClassBoundaries { get; set; } = "A:0.075,B:0.11,C:0.15,D:0.2,E:0.3";

    /// <summary>Illustrative maximum threshold (Art. 7(3)), kg CO2e per kWh delivered.</summary>
    [Range(0.000001, 1000)]
    public double MaximumThreshold_kgco2e_per_kwh { get; set; } = 0.3;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CarbonFootprint.ParseClasses(ClassBoundaries, out var problem) is null)
        {
            yield return new ValidationResult(problem, [nameof(ClassBoundaries)]);
        }
    }
}

/// <summary>
/// The battery carbon footprint after Art. 7 and Annex II of Regulation (EU) 2023/1542: four life-cycle stages (raw material
/// acquisition and pre-processing; main product production; distribution; end of life and recycling — the use stage is
/// excluded), in kg CO2e, reported per kWh of total energy delivered over the service life:
/// <code>functional unit (kWh) = usable energy (kWh) × full cycles per year × service years</code>
/// (draft delegated act Ares(2024)3131389: cycles a year M1/N1 60, L 20, M2/M3/N2/N3 250; service years = warranty).
/// The act is still a draft, so every parameter can be given; the class boundaries and threshold are configuration.
/// </summary>
public static class CarbonFootprint
{
    public static readonly IReadOnlyDictionary<string, double> CyclesPerYearByVehicleClass = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        ["M1"] = 60, ["N1"] = 60, ["L"] = 20, ["M2"] = 250, ["M3"] = 250, ["N2"] = 250, ["N3"] = 250,
    };

    /// <summary>Default utilisation of mass-limited road freight (Battery Pass carbon-footprint rules, 2023).</summary>
    public const double DefaultUtilisation = 0.64;

    public static double FunctionalUnit_kwh(double usableEnergy_kwh, double cyclesPerYear, double serviceYears) =>
        usableEnergy_kwh * cyclesPerYear * serviceYears;

    /// <summary>Pack mass from its energy density: the brief's LFP 90–130 Wh/kg against NMC 190–260 Wh/kg.</summary>
    public static double PackMass_kg(double energy_kwh, double density_wh_per_kg) => energy_kwh * 1000 / density_wh_per_kg;

    /// <summary>Load utilisation of a round trip: (outbound + return load) / (2 × payload).</summary>
    public static double Utilisation(double outbound_t, double return_t, double payload_t) => (outbound_t + return_t) / (2 * payload_t);

    public static IReadOnlyList<(string Class, double Max)>? ParseClasses(string text, out string problem)
    {
        problem = "";
        var list = new List<(string, double)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split(':', 2);
            if (kv.Length != 2 || kv[0].Length is 0 or > 4
                || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max) || !(max > 0))
            {
                problem = $"'{part}' is not CLASS:bound (for example A:0.075)";
                return null;
            }
            if (list.Count > 0 && max <= list[^1].Item2)
            {
                problem = $"bounds must increase from the best class to the worst ('{part}')";
                return null;
            }
            list.Add((kv[0], max));
        }
        if (list.Count == 0)
        {
            problem = "give at least one class";
            return null;
        }
        return list;
    }

    /// <summary>The class of a footprint: the first whose bound it does not exceed; beyond the last, the next letter.</summary>
    public static string ClassOf(double perKwhDelivered, IReadOnlyList<(string Class, double Max)> classes)
    {
        foreach (var (name, max) in classes)
        {
            if (perKwhDelivered <= max)
            {
                return name;
            }
        }
        var last = classes[^1].Class;
        return last.Length == 1 && char.IsAsciiLetterUpper(last[0]) && last[0] < 'Z' ? ((char)(last[0] + 1)).ToString() : $"{last}+";
    }

    public static Result<FootprintResult> Compute(FootprintRequest r, FootprintOptions options)
    {
        var checks = new Checks();
        checks.That(r.Category is "ev" or "lmt" or "industrial" or "stationary", "category", "must be ev, lmt, industrial or stationary");
        checks.Positive(r.RatedEnergy_kwh, "ratedEnergy_kwh");
        if (r.UsableEnergy_kwh is { } usable)
        {
            checks.Positive(usable, "usableEnergy_kwh");
            checks.That(!(usable > r.RatedEnergy_kwh), "usableEnergy_kwh", "cannot exceed the rated energy");
        }
        double cycles = 0;
        if (r.CyclesPerYear is { } c)
        {
            checks.Positive(c, "cyclesPerYear");
            cycles = c;
        }
        else if (r.VehicleClass is { } vc)
        {
            if (CyclesPerYearByVehicleClass.TryGetValue(vc, out var byClass))
            {
                cycles = byClass;
            }
            else
            {
                checks.Add("vehicleClass", $"must be one of {string.Join(", ", CyclesPerYearByVehicleClass.Keys)}");
            }
        }
        else if (r.Category == "ev")
        {
            cycles = CyclesPerYearByVehicleClass["M1"];
        }
        else
        {
            checks.Add("cyclesPerYear", "is required for a battery that is not an electric-vehicle battery");
        }
        if (r.ServiceYears is { } y)
        {
            checks.Positive(y, "serviceYears");
        }
        else
        {
            checks.Add("serviceYears", "is required: the service life of the functional unit (the commercial warranty in the draft delegated act)");
        }
        double mass = 0;
        if (r.BatteryMass_kg is { } m)
        {
            checks.Positive(m, "batteryMass_kg");
            mass = m;
        }
        else if (r.EnergyDensity_wh_per_kg is { } density)
        {
            checks.Positive(density, "energyDensity_wh_per_kg");
            mass = density > 0 ? PackMass_kg(r.RatedEnergy_kwh, density) : 0;
        }
        for (var i = 0; i < r.Materials.Count; i++)
        {
            checks.Require(r.Materials[i].Name, $"materials[{i}].name", 200);
            checks.NonNegative(r.Materials[i].Mass_kg, $"materials[{i}].mass_kg");
            checks.NonNegative(r.Materials[i].Factor_kgco2e_per_kg, $"materials[{i}].factor_kgco2e_per_kg");
        }
        double electricity = 0;
        if (r.ProductionElectricity_kwh is { } e)
        {
            checks.NonNegative(e, "productionElectricity_kwh");
            electricity = e;
            checks.That(r.ProductionElectricity_kwh_per_kwh is null, "productionElectricity_kwh_per_kwh", "give the production electricity either in total or per kWh, not both");
        }
        else if (r.ProductionElectricity_kwh_per_kwh is { } ek)
        {
            checks.NonNegative(ek, "productionElectricity_kwh_per_kwh");
            electricity = ek * r.RatedEnergy_kwh;
        }
        double grid = 0;
        var gridSource = "";
        if (r.ElectricityFactor_gco2e_per_kwh is { } f)
        {
            checks.NonNegative(f, "electricityFactor_gco2e_per_kwh");
            grid = f;
            gridSource = "factor given with the calculation";
        }
        else if (ElectricityMixes.Find(r.ElectricityCountry) is { } mix)
        {
            grid = mix.Intensity_gco2e_per_kwh;
            gridSource = $"{mix.NameEn} {mix.Year}: {mix.Source}";
        }
        else if (electricity > 0)
        {
            checks.Add("electricityCountry", $"is required with production electricity: one of {string.Join(", ", ElectricityMixes.All.Select(x => x.Code))}, or give electricityFactor_gco2e_per_kwh");
        }
        for (var i = 0; i < r.ProductionEnergy.Count; i++)
        {
            checks.Require(r.ProductionEnergy[i].Name, $"productionEnergy[{i}].name", 200);
            checks.NonNegative(r.ProductionEnergy[i].Quantity, $"productionEnergy[{i}].quantity");
            checks.That(double.IsFinite(r.ProductionEnergy[i].Factor_kgco2e_per_unit), $"productionEnergy[{i}].factor_kgco2e_per_unit", "must be a number");
        }
        for (var i = 0; i < r.Distribution.Count; i++)
        {
            var leg = r.Distribution[i];
            checks.Require(leg.Name, $"distribution[{i}].name", 200);
            checks.NonNegative(leg.Distance_km, $"distribution[{i}].distance_km");
            if (leg.Factor_kgco2e_per_tkm is null == leg.Vehicle_kgco2e_per_km is null)
            {
                checks.Add($"distribution[{i}]", "give either factor_kgco2e_per_tkm or vehicle_kgco2e_per_km with payload_t");
            }
            if (leg.Vehicle_kgco2e_per_km is not null && leg.Payload_t is not > 0)
            {
                checks.Add($"distribution[{i}].payload_t", "is required with vehicle_kgco2e_per_km");
            }
            if (leg.Utilisation is { } u)
            {
                checks.That(u > 0 && u <= 1, $"distribution[{i}].utilisation", "must be above 0 and at most 1");
            }
            if (leg.Cargo_t is null && mass <= 0)
            {
                checks.Add($"distribution[{i}].cargo_t", "is required when the battery mass is not known");
            }
        }
        for (var i = 0; i < r.EndOfLife.Count; i++)
        {
            checks.Require(r.EndOfLife[i].Name, $"endOfLife[{i}].name", 200);
            checks.NonNegative(r.EndOfLife[i].Mass_kg, $"endOfLife[{i}].mass_kg");
            checks.That(double.IsFinite(r.EndOfLife[i].Factor_kgco2e_per_kg), $"endOfLife[{i}].factor_kgco2e_per_kg", "must be a number (negative for a credit)");
        }
        var classes = ParseClasses(r.ClassBoundaries ?? options.ClassBoundaries, out var classProblem);
        if (classes is null)
        {
            checks.Add("classBoundaries", classProblem);
        }
        var threshold = r.MaximumThreshold_kgco2e_per_kwh ?? options.MaximumThreshold_kgco2e_per_kwh;
        checks.Positive(threshold, "maximumThreshold_kgco2e_per_kwh");
        if (checks.Failed)
        {
            return checks.ToError();
        }

        var lines = new List<LineResult>();
        foreach (var line in r.Materials)
        {
            lines.Add(new("raw-materials", line.Name, line.Mass_kg * line.Factor_kgco2e_per_kg, $"{F(line.Mass_kg)} kg × {F(line.Factor_kgco2e_per_kg)} kg CO2e/kg{Src(line.Source)}"));
        }
        if (electricity > 0)
        {
            lines.Add(new("production", "Electricity", electricity * grid / 1000, $"{F(electricity)} kWh × {F(grid)} g CO2e/kWh ({gridSource})"));
        }
        foreach (var line in r.ProductionEnergy)
        {
            lines.Add(new("production", line.Name, line.Quantity * line.Factor_kgco2e_per_unit, $"{F(line.Quantity)} {line.Unit} × {F(line.Factor_kgco2e_per_unit)} kg CO2e/{line.Unit}{Src(line.Source)}"));
        }
        foreach (var leg in r.Distribution)
        {
            var cargo = leg.Cargo_t ?? (mass / 1000);
            if (leg.Factor_kgco2e_per_tkm is { } tkm)
            {
                lines.Add(new("distribution", leg.Name, cargo * leg.Distance_km * tkm, $"{F(cargo)} t × {F(leg.Distance_km)} km × {F(tkm)} kg CO2e/t·km"));
            }
            else
            {
                var utilisation = leg.Utilisation ?? DefaultUtilisation;
                var share = cargo / (leg.Payload_t!.Value * utilisation);
                lines.Add(new("distribution", leg.Name, leg.Vehicle_kgco2e_per_km!.Value * leg.Distance_km * share,
                    $"{F(leg.Vehicle_kgco2e_per_km.Value)} kg CO2e/km × {F(leg.Distance_km)} km × {F(cargo)} t / ({F(leg.Payload_t.Value)} t × {F(utilisation)})"));
            }
        }
        foreach (var line in r.EndOfLife)
        {
            lines.Add(new("end-of-life", line.Name, line.Mass_kg * line.Factor_kgco2e_per_kg, $"{F(line.Mass_kg)} kg × {F(line.Factor_kgco2e_per_kg)} kg CO2e/kg{Src(line.Source)}"));
        }

        var usableEnergy = r.UsableEnergy_kwh ?? r.RatedEnergy_kwh;
        var years = r.ServiceYears!.Value;
        var fu = FunctionalUnit_kwh(usableEnergy, cycles, years);
        var total = lines.Sum(l => l.Emissions_kgco2e);
        var stages = new List<StageResult>();
        foreach (var (stage, lifecycle) in new[] { ("raw-materials", "RawMaterialExtraction"), ("production", "MainProduction"), ("distribution", "Distribution"), ("end-of-life", "Recycling") })
        {
            var sum = lines.Where(l => l.Stage == stage).Sum(l => l.Emissions_kgco2e);
            stages.Add(new StageResult(stage, lifecycle, sum, sum / fu, total == 0 ? 0 : sum / total * 100));
        }
        var perDelivered = total / fu;
        var notes = new List<string>
        {
            $"functional unit: {F(usableEnergy)} kWh × {F(cycles)} cycles/year × {F(years)} years = {F(fu)} kWh (draft delegated act Ares(2024)3131389)",
            r.ClassBoundaries is null ? $"performance classes {options.ClassBoundaries}: illustrative until the delegated act sets them" : $"performance classes {r.ClassBoundaries}",
        };
        if (r.Materials.Count == 0)
        {
            notes.Add("no bill of materials: the raw-material stage is zero");
        }
        return new FootprintResult(r.Name, r.RatedEnergy_kwh, total, total / r.RatedEnergy_kwh, fu, perDelivered, ClassOf(perDelivered, classes!), threshold, perDelivered <= threshold,
            mass, usableEnergy, cycles, years, grid, gridSource, stages, lines, notes);
    }

    private static string F(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Src(string? source) => source is null ? "" : $" ({source})";
}
