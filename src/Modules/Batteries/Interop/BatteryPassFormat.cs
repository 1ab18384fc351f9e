using System.Text.Json;
using System.Text.Json.Nodes;
using Socle.Modules.Batteries.Access;
using Socle.Modules.Batteries.Passports;
using Socle.Modules.Batteries.Schemas;

namespace Socle.Modules.Batteries.Interop;

/// <summary>One exported or imported document and what its schema says of it.</summary>
public sealed record InteropDocument(string Name, string SchemaId, JsonObject Document, IReadOnlyList<SchemaError> Errors)
{
    public bool Valid => Errors.Count == 0;
}

/// <summary>An import problem: which document, where in it (JSONPath), and why.</summary>
public sealed record ImportProblem(string Document, string Path, string Message)
{
    public override string ToString() => $"{Document} {Path}: {Message}";
}

/// <summary>What an import produced: the passport content, or the problems; plus conversion notes.</summary>
public sealed record ImportedContent(JsonObject? Content, IReadOnlyList<ImportProblem> Problems, IReadOnlyList<string> Notes)
{
    public bool Ok => Content is not null && Problems.Count == 0;
}

/// <summary>
/// Battery Pass 1.2 JSON, one document per sub-model (GeneralProductInformation, CarbonFootprint, SupplyChainDueDiligence,
/// MaterialComposition, Circularity, PerformanceAndDurability 1.2.1, Labels). The passport keeps each section in this very
/// representation, so an export is the (access-filtered) section as stored and an import checks each document against its
/// published schema (strictly: an imported sub-model is a complete document) before it becomes a section.
/// </summary>
public static class BatteryPassFormat
{
    /// <summary>The sub-model names as the Battery Pass repository names its aspects, by section.</summary>
    public static readonly IReadOnlyDictionary<string, string> SubmodelNames = new Dictionary<string, string>
    {
        [PassportContent.General] = "GeneralProductInformation",
        [PassportContent.CarbonFootprint] = "CarbonFootprint",
        [PassportContent.DueDiligence] = "SupplyChainDueDiligence",
        [PassportContent.Materials] = "MaterialComposition",
        [PassportContent.Circularity] = "Circularity",
        [PassportContent.Performance] = "PerformanceAndDurability",
        [PassportContent.Labels] = "Labels",
    };

    /// <summary>Finds a section from a section name, an aspect name or a published file name ("MaterialComposition-payload.json").</summary>
    public static string? SectionOf(string name)
    {
        var n = Path.GetFileNameWithoutExtension(name).Replace("-payload", "", StringComparison.OrdinalIgnoreCase).Replace("-sample", "", StringComparison.OrdinalIgnoreCase);
        foreach (var (section, aspect) in SubmodelNames)
        {
            if (string.Equals(n, section, StringComparison.OrdinalIgnoreCase) || string.Equals(n, aspect, StringComparison.OrdinalIgnoreCase))
            {
                return section;
            }
        }
        return n.ToLowerInvariant() switch
        {
            "carbonfootprintforbatteries" => PassportContent.CarbonFootprint,
            "labeling" => PassportContent.Labels,
            "performance" => PassportContent.Performance,
            _ => null,
        };
    }

    /// <summary>The sub-model documents a group may see, each validated against its published schema (as published, no
    /// errata): a view without restricted attributes may lack what the schema requires, and says so.</summary>
    public static IReadOnlyList<InteropDocument> Export(JsonElement content, AccessGroup group)
    {
        var view = AccessFilter.Filter(content, group);
        var documents = new List<InteropDocument>();
        foreach (var (section, schemaId, _, _) in AttributeCatalog.Sections)
        {
            if (view[section] is not JsonObject document)
            {
                continue;
            }
            using var doc = JsonDocument.Parse(document.ToJsonString());
            documents.Add(new InteropDocument(SubmodelNames[section], schemaId, (JsonObject)document.DeepClone(), SchemaCatalog.Published(schemaId).Validate(doc.RootElement)));
        }
        return documents;
    }

    /// <summary>
    /// Reads Battery Pass documents into passport content. Each must be valid against its published schema (with the
    /// documented errata); an invalid document is refused with the JSONPath and reason of every error. A Performance
    /// document of the superseded 1.2.0 model is upgraded to 1.2.1, with notes on what 1.2.0 cannot express.
    /// </summary>
    public static ImportedContent Import(IEnumerable<(string Name, JsonElement Document)> documents, DateTimeOffset now)
    {
        var content = new JsonObject();
        var problems = new List<ImportProblem>();
        var notes = new List<string>();
        foreach (var (name, document) in documents)
        {
            var section = SectionOf(name) ?? Detect(document);
            if (section is null)
            {
                problems.Add(new(name, "$", "is not a Battery Pass 1.2 sub-model: name it after one (GeneralProductInformation, CarbonFootprint, SupplyChainDueDiligence, MaterialComposition, Circularity, PerformanceAndDurability, Labels)"));
                continue;
            }
            if (content.ContainsKey(section))
            {
                problems.Add(new(name, "$", $"a second {SubmodelNames[section]} document"));
                continue;
            }
            var schemaId = AttributeCatalog.Sections.Single(s => s.Section == section).SchemaId;
            var errors = SchemaCatalog.Get(schemaId).Validate(document);
            if (errors.Count > 0 && section == PassportContent.Performance && SchemaCatalog.Get(SchemaCatalog.Performance120).IsValid(document))
            {
                content[section] = UpgradePerformance(document, now, notes);
                notes.Add($"{name}: PerformanceAndDurability 1.2.0 upgraded to 1.2.1");
                continue;
            }
            foreach (var e in errors)
            {
                problems.Add(new(name, e.Path, e.Message));
            }
            if (errors.Count == 0)
            {
                content[section] = JsonNode.Parse(document.GetRawText());
            }
        }
        return new ImportedContent(problems.Count == 0 ? content : null, problems, notes);
    }

    /// <summary>The section whose schema's top-level required members the document holds best (at least half of them).</summary>
    public static string? Detect(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        string? best = null;
        var bestScore = 0.5;
        foreach (var (section, schemaId, _, _) in AttributeCatalog.Sections)
        {
            var root = SchemaCatalog.Get(schemaId).Root;
            if (!root.TryGetProperty("required", out var required) || required.GetArrayLength() == 0)
            {
                continue;
            }
            var have = required.EnumerateArray().Count(r => document.TryGetProperty(r.GetString()!, out _));
            var score = (double)have / required.GetArrayLength();
            if (score > bestScore)
            {
                bestScore = score;
                best = section;
            }
        }
        return best;
    }

    /// <summary>
    /// PerformanceAndDurability 1.2.0 → 1.2.1: the renamed members (<c>remainingEnergyalue</c>, <c>…EntityValue</c>,
    /// <c>currentSelfDischargingRateEntity</c>) take their 1.2.1 names; <c>energyThroughput</c> becomes a value with a time;
    /// the list <c>remainingPowerCapability</c> becomes its latest entry; the three fades move to the technical
    /// properties; the single idle temperature of 1.2.0 cannot become the 1.2.1 range and is left out, with a note.
    /// </summary>
    public static JsonObject UpgradePerformance(JsonElement v120, DateTimeOffset now, List<string> notes)
    {
        var doc = JsonNode.Parse(v120.GetRawText())!.AsObject();
        var technical = doc["batteryTechicalProperties"] as JsonObject ?? [];
        var condition = doc["batteryCondition"] as JsonObject ?? [];
        doc["batteryTechicalProperties"] = technical;
        doc["batteryCondition"] = condition;
        var latest = condition.Select(p => (p.Value as JsonObject)?["lastUpdate"]?.GetValue<string>()).Where(s => s is not null).Max(StringComparer.Ordinal)
            ?? Platform.Storage.Sql.Time(now);

        if (technical["temperatureRangeIdleState"] is JsonValue single)
        {
            technical.Remove("temperatureRangeIdleState");
            notes.Add($"temperatureRangeIdleState: 1.2.0 holds one temperature ({single.ToJsonString()} °C), 1.2.1 a range; left out");
        }
        foreach (var moved in new[] { "powerFade", "roundTripEfficiencyFade", "roundTripEfficiencyat50PerCentCycleLife" })
        {
            if (condition[moved] is { } value)
            {
                condition.Remove(moved);
                technical[moved] = value;
            }
        }
        if (condition["energyThroughput"] is JsonValue throughput)
        {
            condition["energyThroughput"] = new JsonObject { ["energyThroughputValue"] = throughput.DeepClone(), ["lastUpdate"] = latest };
        }
        Rename(condition["remainingEnergy"] as JsonObject, "remainingEnergyalue", "remainingEnergyValue");
        Rename(condition["evolutionOfSelfDischarge"] as JsonObject, "evolutionOfSelfDischargeEntityValue", "evolutionOfSelfDischargeValue");
        Rename(condition["currentSelfDischargingRate"] as JsonObject, "currentSelfDischargingRateEntity", "currentSelfDischargingRateValue");
        if (condition["evolutionOfSelfDischarge"] is JsonObject evolution && evolution["lastUpdate"] is null)
        {
            evolution["lastUpdate"] = latest;
        }
        if (condition["remainingPowerCapability"] is JsonArray list)
        {
            condition["remainingPowerCapability"] = list.Count > 0 ? list[^1]!.DeepClone() : null;
            if (condition["remainingPowerCapability"] is null)
            {
                condition.Remove("remainingPowerCapability");
            }
        }
        return doc;

        static void Rename(JsonObject? obj, string from, string to)
        {
            if (obj is not null && obj[from] is { } value)
            {
                obj.Remove(from);
                obj[to] = value.DeepClone();
            }
        }
    }
}
