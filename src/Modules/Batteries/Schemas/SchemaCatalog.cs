using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Socle.Modules.Batteries.Schemas;

/// <summary>A published schema Socle knows: its id (used by the API and <c>socle battery passport validate --schema</c>),
/// the file it comes from under <c>data/batteries/schemas/</c>, and the passport section it describes.</summary>
public sealed record SchemaInfo(string Id, string File, string Title, string? Section);

/// <summary>A correction applied to a published schema before validating: a schema bug, documented, that would reject valid data.</summary>
public sealed record SchemaErratum(string SchemaId, string Keyword, string Published, string Corrected, string Reason);

/// <summary>
/// The Battery Pass 1.2 sub-model schemas and the Catena-X battery_pass 6.1.0 schema, embedded from
/// <c>data/batteries/schemas/</c> (CC-BY-4.0, unchanged), compiled once.
/// </summary>
public static class SchemaCatalog
{
    public const string GeneralProductInformation = "batterypass-1.2/general-product-information";
    public const string CarbonFootprint = "batterypass-1.2/carbon-footprint";
    public const string SupplyChainDueDiligence = "batterypass-1.2/supply-chain-due-diligence";
    public const string MaterialComposition = "batterypass-1.2/material-composition";
    public const string Circularity = "batterypass-1.2/circularity";
    public const string Performance = "batterypass-1.2/performance";
    public const string Performance120 = "batterypass-1.2/performance-1.2.0";
    public const string Labels = "batterypass-1.2/labels";
    public const string CatenaX = "catenax-6.1.0/battery-pass";
    public const string Extensions = "socle/extensions";

    /// <summary>
    /// Socle's own small section for what a passport needs and the Battery Pass 1.2 model cannot hold: the commercial
    /// warranty as a duration (the model types <c>warrentyPeriod</c> as an XSD gMonth, <c>--MM</c>, which cannot say
    /// "8 years"), the battery's dimensions, and the cycle-life and efficiency test conditions; the Catena-X export needs them.
    /// </summary>
    public const string ExtensionsSchema = """
        {
          "$schema": "http://json-schema.org/draft-04/schema",
          "description": "Socle passport extensions: what Battery Pass 1.2 cannot express",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "warrantyYears": { "type": "number", "minimum": 0, "maximum": 50, "description": "Commercial warranty, in years" },
            "physicalDimensions": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "length_mm": { "type": "number", "minimum": 0 },
                "width_mm": { "type": "number", "minimum": 0 },
                "height_mm": { "type": "number", "minimum": 0 }
              }
            },
            "cycleLifeTest": {
              "type": "object",
              "description": "Conditions of the cycle-life test (Annex IV Part B): Battery Pass 1.2 keeps only its C-rate",
              "additionalProperties": false,
              "properties": {
                "temperature_c": { "type": "number", "minimum": -100, "maximum": 200 },
                "depthOfDischarge_pct": { "type": "number", "minimum": 0, "maximum": 100 },
                "chargeRate_c": { "type": "number", "minimum": 0 },
                "dischargeRate_c": { "type": "number", "minimum": 0 }
              }
            },
            "roundTripEfficiencyDepthOfDischarge_pct": { "type": "number", "minimum": 0, "maximum": 100, "description": "Depth of discharge at which the round-trip efficiency was measured" }
          }
        }
        """;

    public static readonly IReadOnlyList<SchemaInfo> All =
    [
        new(GeneralProductInformation, "batterypass-1.2/GeneralProductInformation-schema.json", "Battery Pass 1.2.0 GeneralProductInformation", "generalProductInformation"),
        new(CarbonFootprint, "batterypass-1.2/CarbonFootprintForBatteries-schema.json", "Battery Pass 1.2.0 CarbonFootprint", "carbonFootprint"),
        new(SupplyChainDueDiligence, "batterypass-1.2/SupplyChainDueDiligence-schema.json", "Battery Pass 1.2.0 SupplyChainDueDiligence", "supplyChainDueDiligence"),
        new(MaterialComposition, "batterypass-1.2/MaterialComposition-schema.json", "Battery Pass 1.2.0 MaterialComposition", "materialComposition"),
        new(Circularity, "batterypass-1.2/Circularity-schema.json", "Battery Pass 1.2.0 Circularity", "circularity"),
        new(Performance, "batterypass-1.2/PerformanceAndDurability.schema", "Battery Pass 1.2.1 PerformanceAndDurability", "performance"),
        new(Performance120, "batterypass-1.2/PerformanceAndDurability-schema.json", "Battery Pass 1.2.0 PerformanceAndDurability (superseded by 1.2.1)", null),
        new(Labels, "batterypass-1.2/Labeling-schema.json", "Battery Pass 1.2.0 Labels", "labels"),
        new(CatenaX, "catenax-battery_pass-6.1.0/BatteryPass-schema.json", "Catena-X io.catenax.battery.battery_pass 6.1.0", null),
        new(Extensions, "", "Socle passport extensions (warranty in years, dimensions)", "extensions"),
    ];

    /// <summary>
    /// Known bugs of the published schemas, corrected only by widening (whatever the published schema accepts, the
    /// corrected one accepts too, so the published samples stay valid). The GeneralProductInformation e-mail pattern lost
    /// its backslashes: <c>^[w.-]+@[w.-]+.[A-Za-z]{2,}$</c> allows only the letter w, dots and hyphens around the @, so
    /// it rejects every real address. The correction restores <c>\w</c> in both classes; the last dot stays "any
    /// character", as published (the sample's address relies on it).
    /// </summary>
    public static readonly IReadOnlyList<SchemaErratum> Errata =
    [
        new(GeneralProductInformation, "pattern", "^[w.-]+@[w.-]+.[A-Za-z]{2,}$", @"^[\w.-]+@[\w.-]+.[A-Za-z]{2,}$",
            "backslashes lost in the published EmailAddressTrait pattern (batterypass/BatteryPassDataModel 1.2.0): \\w restored"),
    ];

    private static readonly ConcurrentDictionary<(string, bool), JsonSchema> Compiled = new();

    public static SchemaInfo Info(string id) =>
        All.FirstOrDefault(s => s.Id == id) ?? throw new KeyNotFoundException($"Unknown schema '{id}'. Known: {string.Join(", ", All.Select(s => s.Id))}.");

    public static bool IsKnown(string id) => All.Any(s => s.Id == id);

    /// <summary>The schema with its errata applied: what Socle validates against.</summary>
    public static JsonSchema Get(string id) => Compiled.GetOrAdd((id, true), key => Compile(key.Item1, applyErrata: true));

    /// <summary>The schema exactly as published, without errata.</summary>
    public static JsonSchema Published(string id) => Compiled.GetOrAdd((id, false), key => Compile(key.Item1, applyErrata: false));

    /// <summary>The published file's bytes (UTF-16 with BOM for several Battery Pass files).</summary>
    public static byte[] FileBytes(string relativePath)
    {
        var name = "schemas/" + relativePath;
        using var stream = typeof(SchemaCatalog).Assembly.GetManifestResourceStream(name)
            ?? throw new FileNotFoundException($"Embedded file {name} is missing from the Batteries module.");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return ms.ToArray();
    }

    private static JsonSchema Compile(string id, bool applyErrata)
    {
        var info = Info(id);
        if (id == Extensions)
        {
            return JsonSchema.Parse(id, ExtensionsSchema);
        }
        var text = JsonSchema.DecodeText(FileBytes(info.File));
        var errata = applyErrata ? Errata.Where(e => e.SchemaId == id).ToList() : [];
        if (errata.Count == 0)
        {
            return JsonSchema.Parse(id, text);
        }
        var root = JsonNode.Parse(text)!;
        var applied = 0;
        Patch(root);
        if (applied == 0)
        {
            throw new InvalidOperationException($"Schema {id}: no erratum applied; the published file has changed.");
        }
        return JsonSchema.Parse(id, root.ToJsonString());

        void Patch(JsonNode node)
        {
            if (node is JsonObject obj)
            {
                foreach (var (name, child) in obj.ToList())
                {
                    var fix = errata.FirstOrDefault(e => e.Keyword == name && child is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == e.Published);
                    if (fix is not null)
                    {
                        obj[name] = fix.Corrected;
                        applied++;
                    }
                    else if (child is not null)
                    {
                        Patch(child);
                    }
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var child in array.Where(c => c is not null))
                {
                    Patch(child!);
                }
            }
        }
    }
}
