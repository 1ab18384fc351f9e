using System.Text.Json.Nodes;

namespace Socle.Modules.Batteries.Demo;

/// <summary>
/// Hand-written, realistic passports (the published samples hold random values): a 75 kWh NMC811 and a 60 kWh LFP
/// electric-vehicle battery of a fictitious Dunkirk gigafactory, every section filled and consistent (masses from the
/// brief's energy densities, carbon footprint per the draft delegated act's functional unit, CAS numbers, GS1 ids).
/// They seed the demo and anchor the tests; they carry no passport identifier, status or operator, which the registry sets.
/// </summary>
public static class SamplePassports
{
    public const string EvNmc811 = "ev-nmc811-75kwh";
    public const string EvLfp = "ev-lfp-60kwh";

    public static readonly IReadOnlyList<string> All = [EvNmc811, EvLfp];

    public static JsonObject Load(string name)
    {
        using var stream = typeof(SamplePassports).Assembly.GetManifestResourceStream($"demo/{name}.json")
            ?? throw new FileNotFoundException($"Sample passport {name} is not embedded.");
        return JsonNode.Parse(stream)!.AsObject();
    }

    /// <summary>A sample with another battery serial number (for demo fleets and load tests).</summary>
    public static JsonObject WithSerial(string name, string serial)
    {
        var content = Load(name);
        var general = content["generalProductInformation"]!.AsObject();
        var id = general["productIdentifier"]!.GetValue<string>();
        general["productIdentifier"] = id[..(id.IndexOf("(21)", StringComparison.Ordinal) + 4)] + serial;
        return content;
    }
}
