using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Socle.Modules.Heat.Indicators;
using Socle.Modules.Heat.Scenarios;

namespace Socle.Modules.Heat.Simulation;

/// <summary>How a simulated figure compares with the one published for the real network.</summary>
public sealed record PublishedComparison(string Figure, double Published, double Simulated, string Unit)
{
    public double Deviation => Published == 0 ? 0 : Simulated / Published - 1;
}

/// <summary>The stored and served result of a run, without its hourly series (see <see cref="HourlyReport"/>).</summary>
public sealed record RunReport
{
    public required string RunId { get; init; }

    public required string ScenarioId { get; init; }

    public required string ScenarioName { get; init; }

    public required long ScenarioVersion { get; init; }

    public required NetworkKind Kind { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required double Seconds { get; init; }

    public required string Weather { get; init; }

    public required string WeatherSource { get; init; }

    public required IndicatorSet Indicators { get; init; }

    public required IReadOnlyList<PublishedComparison> Published { get; init; }

    public required IReadOnlyList<SubstationYear> Substations { get; init; }

    /// <summary>The pipes that lose most, first.</summary>
    public required IReadOnlyList<PipeYear> Pipes { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public required int CoreNodes { get; init; }

    public required int NewtonIterations { get; init; }

    public required int NetworkNodes { get; init; }

    public required int NetworkPipes { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

/// <summary>Hourly series of a run, by name (kW, °C, bar, kWh), 8760 values each, and the units' outputs.</summary>
public sealed record HourlyReport(IReadOnlyDictionary<string, double[]> Series, IReadOnlyList<string> Units)
{
    public const string UnitPrefix = "unit:";

    public double[] this[string name] => Series[name];

    /// <summary>CSV with one row per hour: time, then every series (decimal point, comma-separated).</summary>
    public string ToCsv(int year)
    {
        var names = Series.Keys.ToList();
        var sb = new StringBuilder("time,");
        sb.AppendJoin(',', names.Select(n => n.Replace(',', ' '))).Append('\n');
        var start = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var hours = Series.Values.First().Length;
        for (var h = 0; h < hours; h++)
        {
            sb.Append(start.AddHours(h + (h >= 1416 && DateTime.IsLeapYear(year) ? 24 : 0)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
            foreach (var n in names)
            {
                sb.Append(',').Append(Series[n][h].ToString("0.###", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Compressed (Brotli) JSON for storage: a run's series take a few hundred kilobytes once packed.</summary>
    public string Pack()
    {
        var rounded = Series.ToDictionary(s => s.Key, s => s.Value.Select(v => Math.Round(v, 3)).ToArray());
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { series = rounded, units = Units });
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Optimal))
        {
            brotli.Write(bytes);
        }
        return Convert.ToBase64String(output.ToArray());
    }

    public static HourlyReport Unpack(string packed)
    {
        using var input = new MemoryStream(Convert.FromBase64String(packed));
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(brotli);
        var series = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.GetProperty("series").EnumerateObject())
        {
            series[p.Name] = [.. p.Value.EnumerateArray().Select(v => v.GetDouble())];
        }
        var units = doc.RootElement.GetProperty("units").EnumerateArray().Select(u => u.GetString()!).ToList();
        return new HourlyReport(series, units);
    }
}

public static class Reports
{
    public static (RunReport Report, HourlyReport Hourly) Build(string runId, long scenarioVersion, DateTimeOffset createdAt, YearResult year, IndicatorSet indicators)
    {
        var s = year.Scenario.Scenario;
        var report = new RunReport
        {
            RunId = runId,
            ScenarioId = s.Id,
            ScenarioName = s.Name,
            ScenarioVersion = scenarioVersion,
            Kind = s.Kind,
            CreatedAt = createdAt,
            Seconds = Math.Round(year.Seconds, 3),
            Weather = year.Weather.Name,
            WeatherSource = year.Weather.Source,
            Indicators = indicators,
            Published = Compare(s, indicators),
            Substations = year.Substations,
            Pipes = [.. year.Pipes.OrderByDescending(p => p.Loss_mwh).Take(200)],
            Warnings = year.Warnings,
            CoreNodes = year.CoreNodes,
            NewtonIterations = year.NewtonIterations,
            NetworkNodes = year.Scenario.Network.NodeCount,
            NetworkPipes = year.Scenario.Network.PipeCount,
        };
        var h = year.Hourly;
        var d = year.Dispatch;
        var series = new Dictionary<string, double[]>(StringComparer.Ordinal)
        {
            ["outdoor_c"] = h.Outdoor_c,
            ["supply_c"] = h.Supply_c,
            ["return_c"] = h.Return_c,
            ["delivered_kw"] = h.Demand_kw.Select((x, i) => Math.Max(0, x - d.Unmet_kw[i])).ToArray(),
            ["demand_kw"] = h.Demand_kw,
            ["supply_loss_kw"] = h.SupplyLoss_kw,
            ["return_loss_kw"] = h.ReturnLoss_kw,
            ["plant_load_kw"] = h.PlantLoad_kw,
            ["flow_kg_per_s"] = h.Flow_kg_per_s,
            ["pump_head_bar"] = h.PumpHead_bar,
            ["pump_kw"] = h.Pump_kw,
            ["worst_arrival_c"] = h.WorstArrival_c,
            ["storage_charge_kw"] = d.StorageCharge_kw,
            ["storage_discharge_kw"] = d.StorageDischarge_kw,
            ["storage_content_kwh"] = d.StorageContent_kwh,
            ["unmet_kw"] = d.Unmet_kw,
        };
        var units = new List<string>();
        for (var i = 0; i < d.Units.Count; i++)
        {
            series[HourlyReport.UnitPrefix + d.Units[i].Id] = d.Output_kw[i];
            units.Add(d.Units[i].Id);
        }
        return (report, new HourlyReport(series, units));
    }

    private static List<PublishedComparison> Compare(Scenario s, IndicatorSet i)
    {
        var list = new List<PublishedComparison>();
        if (s.Published is not { } p)
        {
            return list;
        }
        void Add(string figure, double? published, double simulated, string unit)
        {
            if (published is { } value)
            {
                list.Add(new PublishedComparison(figure, value, simulated, unit));
            }
        }
        Add("delivered", p.Delivered_mwh, i.Delivered_mwh, "MWh");
        Add("enrr_rate", p.EnrrRate, i.EnrrRate, "share");
        Add("co2_avoided", p.Co2Avoided_t, i.Co2Avoided_t, "t");
        Add("wood", p.WoodTonnes, i.WoodTonnes, "t");
        var biomass = i.Units.Where(u => u.Type is UnitType.BiomassBoiler or UnitType.BiomassChp).Sum(u => u.Output_mwh);
        Add("biomass_share", p.BiomassShare, i.Injected_mwh > 0 ? biomass / i.Injected_mwh : 0, "share");
        Add("dwellings", p.Dwellings, i.Dwellings, "dwellings");
        Add("dwelling_equivalents", p.DwellingEquivalents, i.DwellingEquivalents, "dwelling equivalents");
        Add("length", p.Length_km, i.TrenchLength_m / 1000, "km");
        var recovered = i.Units.Where(u => u.Enrr is EnrrClass.Recovered).Sum(u => u.Output_mwh);
        Add("recovered_heat", p.RecoveredHeat_mwh, recovered, "MWh");
        Add("investment", p.Investment_eur, i.Economy.Investment_eur, "EUR");
        return list;
    }
}
