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

/// <summary>Example bills of materials for the carbon-footprint calculator, with illustrative emission factors (not for a
/// declaration): the NMC811 one reproduces the footprint declared in the NMC811 sample passport.</summary>
public static class SampleFootprints
{
    public const string Nmc811 = "footprint-nmc811-75kwh";
    public const string Lfp = "footprint-lfp-60kwh";

    public static readonly IReadOnlyList<string> All = [Nmc811, Lfp];

    public static Footprint.FootprintRequest Load(string name)
    {
        using var stream = typeof(SampleFootprints).Assembly.GetManifestResourceStream($"demo/{name}.json")
            ?? throw new FileNotFoundException($"Sample footprint {name} is not embedded.");
        return System.Text.Json.JsonSerializer.Deserialize<Footprint.FootprintRequest>(stream, JsonText.Options)!;
    }

    public static string Text(string name)
    {
        using var stream = typeof(SampleFootprints).Assembly.GetManifestResourceStream($"demo/{name}.json")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
